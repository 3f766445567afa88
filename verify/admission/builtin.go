package main

import (
	"context"
	"strings"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer/json"
	"k8s.io/apiserver/pkg/registry/rest"
	"k8s.io/kubernetes/pkg/api/legacyscheme"

	// the API groups kube-apiserver installs (pkg/controlplane/import_known_versions.go)
	_ "k8s.io/kubernetes/pkg/apis/admission/install"
	_ "k8s.io/kubernetes/pkg/apis/admissionregistration/install"
	_ "k8s.io/kubernetes/pkg/apis/apiserverinternal/install"
	_ "k8s.io/kubernetes/pkg/apis/apps/install"
	_ "k8s.io/kubernetes/pkg/apis/authentication/install"
	_ "k8s.io/kubernetes/pkg/apis/authorization/install"
	_ "k8s.io/kubernetes/pkg/apis/autoscaling/install"
	_ "k8s.io/kubernetes/pkg/apis/batch/install"
	_ "k8s.io/kubernetes/pkg/apis/certificates/install"
	_ "k8s.io/kubernetes/pkg/apis/coordination/install"
	_ "k8s.io/kubernetes/pkg/apis/core/install"
	_ "k8s.io/kubernetes/pkg/apis/discovery/install"
	_ "k8s.io/kubernetes/pkg/apis/events/install"
	_ "k8s.io/kubernetes/pkg/apis/flowcontrol/install"
	_ "k8s.io/kubernetes/pkg/apis/imagepolicy/install"
	_ "k8s.io/kubernetes/pkg/apis/networking/install"
	_ "k8s.io/kubernetes/pkg/apis/node/install"
	_ "k8s.io/kubernetes/pkg/apis/policy/install"
	_ "k8s.io/kubernetes/pkg/apis/rbac/install"
	_ "k8s.io/kubernetes/pkg/apis/resource/install"
	_ "k8s.io/kubernetes/pkg/apis/scheduling/install"
	_ "k8s.io/kubernetes/pkg/apis/storage/install"
	_ "k8s.io/kubernetes/pkg/apis/storagemigration/install"

	"k8s.io/kubernetes/pkg/registry/admissionregistration/mutatingwebhookconfiguration"
	"k8s.io/kubernetes/pkg/registry/admissionregistration/validatingwebhookconfiguration"
	"k8s.io/kubernetes/pkg/registry/apps/controllerrevision"
	"k8s.io/kubernetes/pkg/registry/apps/daemonset"
	"k8s.io/kubernetes/pkg/registry/apps/deployment"
	"k8s.io/kubernetes/pkg/registry/apps/replicaset"
	"k8s.io/kubernetes/pkg/registry/apps/statefulset"
	"k8s.io/kubernetes/pkg/registry/autoscaling/horizontalpodautoscaler"
	"k8s.io/kubernetes/pkg/registry/batch/cronjob"
	"k8s.io/kubernetes/pkg/registry/batch/job"
	"k8s.io/kubernetes/pkg/registry/certificates/certificates"
	"k8s.io/kubernetes/pkg/registry/coordination/lease"
	"k8s.io/kubernetes/pkg/registry/core/configmap"
	"k8s.io/kubernetes/pkg/registry/core/endpoint"
	"k8s.io/kubernetes/pkg/registry/core/event"
	"k8s.io/kubernetes/pkg/registry/core/limitrange"
	"k8s.io/kubernetes/pkg/registry/core/namespace"
	"k8s.io/kubernetes/pkg/registry/core/node"
	"k8s.io/kubernetes/pkg/registry/core/persistentvolume"
	"k8s.io/kubernetes/pkg/registry/core/persistentvolumeclaim"
	"k8s.io/kubernetes/pkg/registry/core/pod"
	"k8s.io/kubernetes/pkg/registry/core/podtemplate"
	"k8s.io/kubernetes/pkg/registry/core/replicationcontroller"
	"k8s.io/kubernetes/pkg/registry/core/resourcequota"
	"k8s.io/kubernetes/pkg/registry/core/secret"
	"k8s.io/kubernetes/pkg/registry/core/service"
	"k8s.io/kubernetes/pkg/registry/core/serviceaccount"
	"k8s.io/kubernetes/pkg/registry/discovery/endpointslice"
	"k8s.io/kubernetes/pkg/registry/flowcontrol/flowschema"
	"k8s.io/kubernetes/pkg/registry/flowcontrol/prioritylevelconfiguration"
	"k8s.io/kubernetes/pkg/registry/networking/ingress"
	"k8s.io/kubernetes/pkg/registry/networking/ingressclass"
	"k8s.io/kubernetes/pkg/registry/networking/ipaddress"
	"k8s.io/kubernetes/pkg/registry/networking/networkpolicy"
	"k8s.io/kubernetes/pkg/registry/networking/servicecidr"
	"k8s.io/kubernetes/pkg/registry/node/runtimeclass"
	"k8s.io/kubernetes/pkg/registry/policy/poddisruptionbudget"
	"k8s.io/kubernetes/pkg/registry/rbac/clusterrole"
	"k8s.io/kubernetes/pkg/registry/rbac/clusterrolebinding"
	"k8s.io/kubernetes/pkg/registry/rbac/role"
	"k8s.io/kubernetes/pkg/registry/rbac/rolebinding"
	"k8s.io/kubernetes/pkg/registry/scheduling/priorityclass"
	"k8s.io/kubernetes/pkg/registry/storage/csidriver"
	"k8s.io/kubernetes/pkg/registry/storage/csinode"
	"k8s.io/kubernetes/pkg/registry/storage/csistoragecapacity"
	"k8s.io/kubernetes/pkg/registry/storage/storageclass"
	"k8s.io/kubernetes/pkg/registry/storage/volumeattachment"
	"k8s.io/kubernetes/pkg/registry/storage/volumeattributesclass"
)

// builtinStrategies are the create strategies of the kube-apiserver
// registry, by (internal) group and kind. Kinds served only in alpha/beta
// versions (disabled by default in 1.33) and kinds whose strategy needs a live
// authorizer or client (ValidatingAdmissionPolicy[Binding], ResourceClaim...)
// are left out; those versions are not served by default anyway, except the
// admission policies, which this checker then reports as not covered.
var builtinStrategies = map[schema.GroupKind]rest.RESTCreateStrategy{
	{Group: "admissionregistration.k8s.io", Kind: "MutatingWebhookConfiguration"}:   mutatingwebhookconfiguration.Strategy,
	{Group: "admissionregistration.k8s.io", Kind: "ValidatingWebhookConfiguration"}: validatingwebhookconfiguration.Strategy,
	{Group: "apps", Kind: "ControllerRevision"}:                                     controllerrevision.Strategy,
	{Group: "apps", Kind: "DaemonSet"}:                                              daemonset.Strategy,
	{Group: "apps", Kind: "Deployment"}:                                             deployment.Strategy,
	{Group: "apps", Kind: "ReplicaSet"}:                                             replicaset.Strategy,
	{Group: "apps", Kind: "StatefulSet"}:                                            statefulset.Strategy,
	{Group: "autoscaling", Kind: "HorizontalPodAutoscaler"}:                         horizontalpodautoscaler.Strategy,
	{Group: "batch", Kind: "CronJob"}:                                               cronjob.Strategy,
	{Group: "batch", Kind: "Job"}:                                                   job.Strategy,
	{Group: "certificates.k8s.io", Kind: "CertificateSigningRequest"}:               certificates.Strategy,
	{Group: "coordination.k8s.io", Kind: "Lease"}:                                   lease.Strategy,
	{Group: "", Kind: "ConfigMap"}:                                                  configmap.Strategy,
	{Group: "", Kind: "Endpoints"}:                                                  endpoint.Strategy,
	{Group: "", Kind: "Event"}:                                                      event.Strategy,
	{Group: "events.k8s.io", Kind: "Event"}:                                         event.Strategy,
	{Group: "", Kind: "LimitRange"}:                                                 limitrange.Strategy,
	{Group: "", Kind: "Namespace"}:                                                  namespace.Strategy,
	{Group: "", Kind: "Node"}:                                                       node.Strategy,
	{Group: "", Kind: "PersistentVolume"}:                                           persistentvolume.Strategy,
	{Group: "", Kind: "PersistentVolumeClaim"}:                                      persistentvolumeclaim.Strategy,
	{Group: "", Kind: "Pod"}:                                                        pod.Strategy,
	{Group: "", Kind: "PodTemplate"}:                                                podtemplate.Strategy,
	{Group: "", Kind: "ReplicationController"}:                                      replicationcontroller.Strategy,
	{Group: "", Kind: "ResourceQuota"}:                                              resourcequota.Strategy,
	{Group: "", Kind: "Secret"}:                                                     secret.Strategy,
	{Group: "", Kind: "Service"}:                                                    service.Strategy,
	{Group: "", Kind: "ServiceAccount"}:                                             serviceaccount.Strategy,
	{Group: "discovery.k8s.io", Kind: "EndpointSlice"}:                              endpointslice.Strategy,
	{Group: "flowcontrol.apiserver.k8s.io", Kind: "FlowSchema"}:                     flowschema.Strategy,
	{Group: "flowcontrol.apiserver.k8s.io", Kind: "PriorityLevelConfiguration"}:     prioritylevelconfiguration.Strategy,
	{Group: "networking.k8s.io", Kind: "Ingress"}:                                   ingress.Strategy,
	{Group: "networking.k8s.io", Kind: "IngressClass"}:                              ingressclass.Strategy,
	{Group: "networking.k8s.io", Kind: "IPAddress"}:                                 ipaddress.Strategy,
	{Group: "networking.k8s.io", Kind: "NetworkPolicy"}:                             networkpolicy.Strategy,
	{Group: "networking.k8s.io", Kind: "ServiceCIDR"}:                               servicecidr.Strategy,
	{Group: "node.k8s.io", Kind: "RuntimeClass"}:                                    runtimeclass.Strategy,
	{Group: "policy", Kind: "PodDisruptionBudget"}:                                  poddisruptionbudget.Strategy,
	{Group: "rbac.authorization.k8s.io", Kind: "ClusterRole"}:                       clusterrole.Strategy,
	{Group: "rbac.authorization.k8s.io", Kind: "ClusterRoleBinding"}:                clusterrolebinding.Strategy,
	{Group: "rbac.authorization.k8s.io", Kind: "Role"}:                              role.Strategy,
	{Group: "rbac.authorization.k8s.io", Kind: "RoleBinding"}:                       rolebinding.Strategy,
	{Group: "scheduling.k8s.io", Kind: "PriorityClass"}:                             priorityclass.Strategy,
	{Group: "storage.k8s.io", Kind: "CSIDriver"}:                                    csidriver.Strategy,
	{Group: "storage.k8s.io", Kind: "CSINode"}:                                      csinode.Strategy,
	{Group: "storage.k8s.io", Kind: "CSIStorageCapacity"}:                           csistoragecapacity.Strategy,
	{Group: "storage.k8s.io", Kind: "StorageClass"}:                                 storageclass.Strategy,
	{Group: "storage.k8s.io", Kind: "VolumeAttachment"}:                             volumeattachment.Strategy,
	{Group: "storage.k8s.io", Kind: "VolumeAttributesClass"}:                        volumeattributesclass.Strategy,
}

type builtinKind struct {
	known    bool // the group+kind is built in
	served   bool // this version is served by default in 1.33
	strategy rest.RESTCreateStrategy
}

// servedByDefault mirrors pkg/controlplane DefaultAPIResourceConfigSource of
// 1.33: every stable group version is enabled, every alpha and beta group
// version is disabled (betaAPIGroupVersionsDisabledByDefault and
// alphaAPIGroupVersionsDisabledByDefault list all the alpha/beta versions the
// scheme knows; extensions/v1beta1 is no longer installed for serving).
func servedByDefault(gv schema.GroupVersion) bool {
	return !strings.Contains(gv.Version, "alpha") && !strings.Contains(gv.Version, "beta")
}

func lookupBuiltin(gvk schema.GroupVersionKind) builtinKind {
	if gvk.Version == runtime.APIVersionInternal {
		return builtinKind{}
	}
	s, ok := builtinStrategies[gvk.GroupKind()]
	if !ok {
		// a kind that is not a stored resource (options, reviews, ...)
		return builtinKind{}
	}
	b := builtinKind{known: true, strategy: s}
	b.served = legacyscheme.Scheme.Recognizes(gvk) && servedByDefault(gvk.GroupVersion())
	return b
}

// strictSerializer is the StrictSerializer of the kube-apiserver codec
// factory: unknown and duplicate fields are strict decoding errors.
var strictSerializer = json.NewSerializerWithOptions(json.DefaultMetaFactory, legacyscheme.Scheme, legacyscheme.Scheme, json.SerializerOptions{Strict: true})

func judgeBuiltin(ctx context.Context, j *Judge, b builtinKind, gvk schema.GroupVersionKind, data []byte, r *result) {
	if !b.served {
		r.add("no matches for kind %q in version %q: Kubernetes %s does not serve this version by default", gvk.Kind, gvk.GroupVersion().String(), KubernetesMinor)
		return
	}
	// the create handler: scope.Serializer.DecoderToVersion(StrictSerializer, HubGroupVersion)
	// decodes into the versioned type, defaults it and converts it to the internal type
	hub := schema.GroupVersion{Group: gvk.Group, Version: runtime.APIVersionInternal}
	decoder := legacyscheme.Codecs.DecoderToVersion(strictSerializer, hub)
	obj, _, err := decoder.Decode(data, nil, nil)
	if err != nil {
		strictErr, ok := runtime.AsStrictDecodingError(err)
		if !ok || obj == nil {
			r.add("rejects: %v", err)
			return
		}
		for _, e := range strictErr.Errors() {
			msg := e.Error()
			if strings.HasPrefix(msg, `unknown field "`) {
				r.unknownField(strings.TrimSuffix(strings.TrimPrefix(msg, `unknown field "`), `"`))
			} else {
				r.add("rejects: strict decoding error: %s", msg)
			}
		}
	}
	j.create(ctx, b.strategy, obj, r)
}
