/**
 * The result of tracing one request (`maas-egress trace --json` prints it).
 * docs/trace-and-diff.md ("JSON output") documents this schema; header values are never included, only
 * where they come from.
 */
export interface TraceRequest {
  readonly method: string;
  readonly path: string;
  /** User of the MaaS token; absent: no token. */
  readonly user?: string;
  readonly tier?: string;
  /** Groups of the caller (subscription-based MaaS). */
  readonly groups?: readonly string[];
  /** Names (lower-case) of the headers the client sent. */
  readonly headers: readonly string[];
  /** Top-level "model" of the body, when it has one. */
  readonly model?: string;
}

/** One gateway the request crosses. */
export interface TraceHop {
  /** `namespace/name` of the Gateway, or the platform component that serves the request. */
  readonly gateway: string;
  /** `istio`, `wg-ai-gateway` or `maas-controller`. */
  readonly dataPlane: string;
  /** `namespace/name` of the HTTPRoute that took the request. */
  readonly route?: string;
  /** 1-based rule number in that route. */
  readonly rule?: number;
  /** The match that won. */
  readonly match?: string;
  /** Path as it arrived on this hop. */
  readonly path: string;
  /** What happened, in order. */
  readonly steps: readonly string[];
}

/** How the upstream connection is secured. */
export interface TraceTls {
  readonly enabled: boolean;
  /** How the server certificate is checked, in words. */
  readonly verification: string;
  /** SNI sent, when known. */
  readonly sni?: string;
}

/** Where the request finally goes. */
export interface TraceUpstream {
  readonly host: string;
  readonly port: number;
  readonly tls: TraceTls;
  /** Path sent to the provider. */
  readonly path: string;
  /** Host header sent to the provider. */
  readonly hostHeader: string;
  /** Headers that reach the provider: lower-case name -> where the value comes from. */
  readonly headers: Readonly<Record<string, string>>;
  /** The object that names the upstream, e.g. `XBackendDestination maas-egress/openai-backend`. */
  readonly backend: string;
  /** The timeouts that apply, in words. */
  readonly timeouts: string;
}

/** A limit that counts this request. */
export interface TraceLimit {
  /** `RateLimitPolicy`, `TokenRateLimitPolicy` or `MaaSSubscription`. */
  readonly kind: string;
  /** `namespace/name` of the policy. */
  readonly policy: string;
  /** Name of the limit inside the policy. */
  readonly name: string;
  readonly amount: number;
  /** E.g. `1m`. */
  readonly window: string;
  /** `requests` or `tokens`. */
  readonly unit: string;
  /** What is counted per, e.g. `auth.identity.userid`; `(shared)` when there is no counter. */
  readonly counter: string;
  /** Present when the limit only applies when a request-time condition holds. */
  readonly condition?: string;
  /**
   * `namespace/name` of the route whose counter this is (Kuadrant keeps one
   * counter per route and limit: a user spends the amount once per route).
   */
  readonly route?: string;
}

/** The trace of one request. */
export interface TraceResult {
  readonly request: TraceRequest;
  readonly outcome: 'forwarded' | 'rejected';
  /** HTTP status of the rejection. */
  readonly status?: number;
  /** Why the request is rejected. */
  readonly reason?: string;
  readonly hops: readonly TraceHop[];
  readonly upstream?: TraceUpstream;
  /**
   * Tier-based MaaS: the most one user of the caller's tier can spend per
   * window across all routes of the MaaS gateway (each route counts on its own).
   */
  readonly tierMaximum?: string;
  readonly limits: readonly TraceLimit[];
  readonly warnings: readonly string[];
  /** Every object the trace read (`Kind namespace/name`), sorted; the diff uses it. */
  readonly objects: readonly string[];
}
