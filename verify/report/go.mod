module github.com/cdk8s-maas-egress/verify/report

go 1.26
