/**
 * Project and run attribution (docs/architecture.md, "Attribution"): resource attributes say who the
 * telemetry belongs to; an `x-mlrun-project` header or gRPC metadata entry overrides the project.
 */
import type { IResource } from '@mlrun/proto';
import type { Attribution } from '@mlrun/storage';
import { stringAttribute } from './values.js';

export const DEFAULT_PROJECT = 'default';

export const ResourceKeys = {
  project: 'mlrun.project',
  runId: 'mlrun.run.id',
  runName: 'mlrun.run.name',
  serviceName: 'service.name',
} as const;

/** Per-request context the transports hand to the mappers. */
export interface RequestContext {
  /** Project override from `x-mlrun-project`; '' when absent. */
  readonly projectOverride: string;
  /** Receive time in Unix nanoseconds: the time of points whose record carried none. */
  readonly receivedAt: bigint;
}

/** Who a resource block belongs to: project (override → mlrun.project → service.name → default), run, service. */
export function attribute(resource: IResource | null | undefined, context: RequestContext): Attribution {
  const attributes = resource?.attributes;
  const serviceName = stringAttribute(attributes, ResourceKeys.serviceName)?.trim() ?? '';
  const project =
    context.projectOverride.trim() ||
    stringAttribute(attributes, ResourceKeys.project)?.trim() ||
    serviceName ||
    DEFAULT_PROJECT;
  const runId = stringAttribute(attributes, ResourceKeys.runId)?.trim() ?? '';
  return { project, runId, serviceName };
}
