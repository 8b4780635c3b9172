/** Resource and scope blocks: mapped once per OTLP resource/scope and shared by all of its rows. */
import type { IInstrumentationScope, IResource } from '@mlrun/proto';
import type { ResourceBlock, ScopeBlock } from '@mlrun/storage';
import { keyValuesJson, toAttributeSet } from './values.js';

export function toResourceBlock(resource: IResource | null | undefined, schemaUrl: string | null | undefined): ResourceBlock {
  return {
    attributes: toAttributeSet(resource?.attributes),
    droppedAttributesCount: resource?.droppedAttributesCount ?? 0,
    schemaUrl: schemaUrl ?? '',
  };
}

export function toScopeBlock(scope: IInstrumentationScope | null | undefined, schemaUrl: string | null | undefined): ScopeBlock {
  return {
    name: scope?.name ?? '',
    version: scope?.version ?? '',
    attributesJson: keyValuesJson(scope?.attributes),
    droppedAttributesCount: scope?.droppedAttributesCount ?? 0,
    schemaUrl: schemaUrl ?? '',
  };
}
