// The shapes of the API's answers that the UI reads; the OpenAPI document
// at /api/v1/openapi.json is the full description.
import type { Text } from '../i18n/format';

export interface RoleAssignment {
  role: string;
  domain: string;
}

export interface User {
  username: string;
  name?: string;
  email?: string;
  department?: string;
  groups?: string[];
  roles?: RoleAssignment[];
}

export interface LoginAnswer {
  csrfToken: string;
  expiresAt: string;
  user: User;
}

export interface CatalogEntry {
  key: string;
  title: Text;
  description?: Text;
  category?: string;
  interaction?: string;
  form: { key: string; version: number };
  channels?: { channel: string; open: boolean }[];
}

export interface FieldHints {
  title?: Text;
  help?: Text;
  placeholder?: Text;
  widget?: string;
  visibleWhen?: string;
  requiredWhen?: string;
  calculate?: string;
}

export interface FormDefinition {
  key: string;
  title: Text;
  category?: string;
  schema: Record<string, unknown>;
  ui?: { order?: string[]; fields?: Record<string, FieldHints> };
}

export interface FormVersion {
  key: string;
  version: number;
  definition: FormDefinition;
  fragments?: { key: string; version: number }[];
}

export interface FragmentVersion {
  key: string;
  version: number;
  title?: Text;
  definition: { schema: Record<string, unknown> };
}

export interface Receipt {
  id: string;
  trackingCode: string;
  status: string;
}

export interface Message {
  id: string;
  at: string;
  kind: 'reply' | 'note' | 'requester';
  author?: string;
  body: string;
}

export interface HistoryEntry {
  at: string;
  type: string;
  status?: string;
}

export interface SLAGoal {
  goal: string;
  state: 'running' | 'paused' | 'met' | 'breached';
  due?: string;
  breached?: boolean;
  warning?: boolean;
}

export interface Referral {
  units?: string[];
  title?: Text;
  status?: string;
  createdAt?: string;
  due?: string;
}

/** A request as its requester reads it (GET /requests/{id}, or tracking). */
export interface RequestView {
  id: string;
  trackingCode?: string;
  status: string;
  priority?: string;
  type?: { key: string; version?: number; title?: Text };
  form?: { key: string; version?: number; title?: Text };
  channel?: string;
  owner?: string;
  createdAt?: string;
  updatedAt?: string;
  resolvedAt?: string;
  data?: Record<string, unknown>;
  history?: HistoryEntry[];
  messages?: Message[];
  referrals?: Referral[];
  slaStatus?: { goals?: SLAGoal[] };
  deadlines?: SLAGoal[];
  feedback?: unknown;
  closed?: boolean;
  requester?: string;
  [k: string]: unknown;
}

/** A request as GET /requests lists it: where it stands, not what it holds. */
export interface RequestSummary {
  id: string;
  type?: { key: string; version?: number };
  form: { key: string; version?: number };
  channel: string;
  status: string;
  priority?: string;
  closed: boolean;
  requester?: string;
  owner?: string;
  createdAt: string;
  updatedAt: string;
  resolvedAt?: string;
  /** The earliest due time of its running SLA clocks. */
  due?: string;
  /** The request type's title, from the catalog (the list does not carry it). */
  title?: Text;
}

export interface Notification {
  id: string;
  request: string;
  event?: string;
  subject: string;
  at: string;
  readAt?: string;
}

export interface Page<T> {
  items: T[];
  next?: string;
}

export interface TaskItem {
  id: string;
  request: string;
  title?: Text;
  status?: string;
  due?: string;
}
