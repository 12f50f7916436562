/** Shapes of standing lexicon surveillance shared by the CLI, the API and the renderer. Times are ISO 8601 UTC. */

export interface PolicyScopeDTO {
  custodians?: string[];
  platforms?: string[];
  from?: string;
  to?: string;
}

export interface PolicyMetricsDTO {
  alerts: number;
  open: number;
  escalated: number;
  falsePositives: number;
  /** Escalated / dispositioned (null before the first disposition). */
  escalationRate: number | null;
  /** Median hours from raised to dispositioned (null before the first disposition). */
  medianHoursToDisposition: number | null;
}

export interface PolicyDTO {
  id: number;
  name: string;
  description: string | null;
  terms: string[];
  scope: PolicyScopeDTO;
  /** A starter lexicon: an example to edit, not a vetted standard. */
  example: boolean;
  enabled: boolean;
  createdBy: string;
  createdAt: string;
  metrics: PolicyMetricsDTO;
}

export type AlertStatus = 'open' | 'escalated' | 'false-positive';

export interface AlertContextDTO {
  messageId: number;
  sender: string | null;
  sentAt: string;
  text: string;
}

export interface AlertDTO {
  id: number;
  policyId: number;
  policy: string;
  term: string;
  messageId: number;
  conversationId: number;
  conversation: string;
  sender: string | null;
  sentAt: string;
  text: string;
  /** The import that raised it (null when the policy ran on demand). */
  sourceId: number | null;
  raisedAt: string;
  status: AlertStatus;
  reason: string | null;
  disposedBy: string | null;
  disposedAt: string | null;
  /** The messages just before and after it in its conversation. */
  context: AlertContextDTO[];
}

export interface SurveillanceRunDTO {
  /** New alerts per policy that raised any. */
  raised: { policyId: number; policy: string; alerts: number }[];
  total: number;
}
