package main

// AuthPolicy (effective, kuadrant-operator v1.5.2 api/v1) -> Authorino AuthConfig (authorino
// v0.25.0 api/v1beta3).
//
// OUR TRANSLATION. kuadrant-operator does this in internal/controller/authconfigs_reconciler.go
// (AuthConfigsReconciler.buildDesiredAuthConfig, read in kuadrant-operator@v1.5.2) with the name from
// internal/controller/auth_workflow_helpers.go (AuthConfigNameForPath = hex(sha256(pathID))); both
// are internal/ packages another module cannot import, so this file follows them:
//   - name = AuthConfigNameForPath(pathID), spec.hosts = [name] (not the route's hostnames: wasm-shim
//     sends the AuthConfig name as the "host" context extension, see buildWasmActionsForAuth, which
//     sets Scope = AuthConfigNameForPath(pathID));
//   - namedPatterns, authentication, metadata, authorization, callbacks copied rule by rule;
//   - response: unauthenticated/unauthorized deny-with, success headers, success filters
//     (json name "filters", Go name DynamicMetadata) -> success.dynamicMetadata;
//   - the policy's top-level `when` is NOT part of the AuthConfig: it becomes the wasm action's
//     predicates (buildWasmActionsForAuth: Predicates = spec.Predicates.Into()), evaluated by
//     wasm-shim before Authorino is called (see wasm.go).
//   - extensionmanager.ApplyAuthConfigMutators (extensions) is not modelled.

import (
	"crypto/sha256"
	"encoding/hex"

	authorinov1beta3 "github.com/kuadrant/authorino/api/v1beta3"
	kuadrantv1 "github.com/kuadrant/kuadrant-operator/api/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func authConfigNameForPath(pathID string) string {
	h := sha256.Sum256([]byte(pathID))
	return hex.EncodeToString(h[:])
}

func buildAuthConfig(eff *kuadrantv1.AuthPolicy, name, namespace string) *authorinov1beta3.AuthConfig {
	ac := &authorinov1beta3.AuthConfig{
		TypeMeta: metav1.TypeMeta{Kind: "AuthConfig", APIVersion: authorinov1beta3.GroupVersion.String()},
		ObjectMeta: metav1.ObjectMeta{
			Name:      name,
			Namespace: namespace,
			Labels:    map[string]string{"kuadrant.io/managed": "true"},
		},
		Spec: authorinov1beta3.AuthConfigSpec{Hosts: []string{name}},
	}
	spec := eff.Spec.Proper()
	if len(spec.NamedPatterns) > 0 {
		ac.Spec.NamedPatterns = map[string]authorinov1beta3.PatternExpressions{}
		for k, v := range spec.NamedPatterns {
			ac.Spec.NamedPatterns[k] = v.PatternExpressions
		}
	}
	s := spec.AuthScheme
	if s == nil {
		return ac
	}
	if s.Authentication != nil {
		ac.Spec.Authentication = map[string]authorinov1beta3.AuthenticationSpec{}
		for k, v := range s.Authentication {
			ac.Spec.Authentication[k] = v.AuthenticationSpec
		}
	}
	if s.Metadata != nil {
		ac.Spec.Metadata = map[string]authorinov1beta3.MetadataSpec{}
		for k, v := range s.Metadata {
			ac.Spec.Metadata[k] = v.MetadataSpec
		}
	}
	if s.Authorization != nil {
		ac.Spec.Authorization = map[string]authorinov1beta3.AuthorizationSpec{}
		for k, v := range s.Authorization {
			ac.Spec.Authorization[k] = v.AuthorizationSpec
		}
	}
	if r := s.Response; r != nil {
		resp := &authorinov1beta3.ResponseSpec{}
		if r.Unauthenticated != nil {
			d := r.Unauthenticated.DenyWithSpec
			resp.Unauthenticated = &d
		}
		if r.Unauthorized != nil {
			d := r.Unauthorized.DenyWithSpec
			resp.Unauthorized = &d
		}
		if len(r.Success.Headers) > 0 {
			resp.Success.Headers = map[string]authorinov1beta3.HeaderSuccessResponseSpec{}
			for k, v := range r.Success.Headers {
				resp.Success.Headers[k] = authorinov1beta3.HeaderSuccessResponseSpec{SuccessResponseSpec: v.SuccessResponseSpec}
			}
		}
		if len(r.Success.DynamicMetadata) > 0 {
			resp.Success.DynamicMetadata = map[string]authorinov1beta3.SuccessResponseSpec{}
			for k, v := range r.Success.DynamicMetadata {
				resp.Success.DynamicMetadata[k] = v.SuccessResponseSpec
			}
		}
		ac.Spec.Response = resp
	}
	if s.Callbacks != nil {
		ac.Spec.Callbacks = map[string]authorinov1beta3.CallbackSpec{}
		for k, v := range s.Callbacks {
			ac.Spec.Callbacks[k] = v.CallbackSpec
		}
	}
	return ac
}

// sharedSecretRefs lists the Secrets Authorino will Get in the AuthConfig's namespace while
// translating (controllers/auth_config_controller.go buildGenericHttpEvaluator: sharedSecretRef,
// oauth2.clientSecretRef).
func sharedSecretRefs(ac *authorinov1beta3.AuthConfig) map[string][]string {
	out := map[string][]string{}
	add := func(h *authorinov1beta3.HttpEndpointSpec) {
		if h == nil {
			return
		}
		if r := h.SharedSecret; r != nil {
			out[r.Name] = append(out[r.Name], r.Key)
		}
		if o := h.OAuth2; o != nil {
			out[o.ClientSecret.Name] = append(out[o.ClientSecret.Name], o.ClientSecret.Key)
		}
	}
	for _, m := range ac.Spec.Metadata {
		add(m.Http)
	}
	for _, c := range ac.Spec.Callbacks {
		add(c.Http)
	}
	return out
}
