package main

import (
	"context"
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"

	"istio.io/istio/pilot/pkg/config/kube/crdclient"
	"istio.io/istio/pkg/config"
	"istio.io/istio/pkg/config/schema/gvk"
	kubelib "istio.io/istio/pkg/kube"
)

// statusStore is the config store the status manager writes through. Reads
// come from istio's crdclient; UpdateStatus sends the whole object, because
// the fake clientset (unlike an API server's status subresource) replaces the
// entire object and crdclient sends only metadata and status.
type statusStore struct {
	*crdclient.Client
	kube kubelib.Client
}

func (s *statusStore) UpdateStatus(cfg config.Config) (string, error) {
	ctx := context.Background()
	gw := s.kube.GatewayAPI().GatewayV1()
	switch cfg.GroupVersionKind {
	case gvk.KubernetesGateway:
		st, ok := cfg.Status.(*gatewayv1.GatewayStatus)
		if !ok {
			return "", fmt.Errorf("status type %T", cfg.Status)
		}
		o, err := gw.Gateways(cfg.Namespace).Get(ctx, cfg.Name, metav1.GetOptions{})
		if err != nil {
			return "", err
		}
		o.Status = *st
		r, err := gw.Gateways(cfg.Namespace).UpdateStatus(ctx, o, metav1.UpdateOptions{})
		if err != nil {
			return "", err
		}
		return r.ResourceVersion, nil
	case gvk.HTTPRoute:
		st, ok := cfg.Status.(*gatewayv1.HTTPRouteStatus)
		if !ok {
			return "", fmt.Errorf("status type %T", cfg.Status)
		}
		o, err := gw.HTTPRoutes(cfg.Namespace).Get(ctx, cfg.Name, metav1.GetOptions{})
		if err != nil {
			return "", err
		}
		o.Status = *st
		r, err := gw.HTTPRoutes(cfg.Namespace).UpdateStatus(ctx, o, metav1.UpdateOptions{})
		if err != nil {
			return "", err
		}
		return r.ResourceVersion, nil
	case gvk.GRPCRoute:
		st, ok := cfg.Status.(*gatewayv1.GRPCRouteStatus)
		if !ok {
			return "", fmt.Errorf("status type %T", cfg.Status)
		}
		o, err := gw.GRPCRoutes(cfg.Namespace).Get(ctx, cfg.Name, metav1.GetOptions{})
		if err != nil {
			return "", err
		}
		o.Status = *st
		r, err := gw.GRPCRoutes(cfg.Namespace).UpdateStatus(ctx, o, metav1.UpdateOptions{})
		if err != nil {
			return "", err
		}
		return r.ResourceVersion, nil
	case gvk.GatewayClass:
		st, ok := cfg.Status.(*gatewayv1.GatewayClassStatus)
		if !ok {
			return "", fmt.Errorf("status type %T", cfg.Status)
		}
		o, err := gw.GatewayClasses().Get(ctx, cfg.Name, metav1.GetOptions{})
		if err != nil {
			return "", err
		}
		o.Status = *st
		r, err := gw.GatewayClasses().UpdateStatus(ctx, o, metav1.UpdateOptions{})
		if err != nil {
			return "", err
		}
		return r.ResourceVersion, nil
	}
	return "", fmt.Errorf("no status writer for %v", cfg.GroupVersionKind)
}
