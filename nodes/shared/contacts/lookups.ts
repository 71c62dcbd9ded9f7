import type { IDataObject, INodeListSearchItems, INodePropertyOptions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { PlatformProfile } from '../platform/types';
import { settle } from '../settle';

/**
 * The parameter a looked-up ID came from, so a refusal ("no such user") says which field of the
 * item to fix, not only what the platform answered.
 */
export interface LookupField {
	displayName: string;
	value: string | number;
}

export async function namingField<T>(field: LookupField, call: Promise<T>): Promise<T> {
	const outcome = await settle(call);
	if (outcome.ok) return outcome.value;
	const error = outcome.error;
	if (error instanceof NodeApiError) {
		error.description =
			`'${field.displayName}' is ${JSON.stringify(String(field.value))}. ${error.description ?? ''}`.trim();
	}
	throw error;
}

/** The platform code of a refusal: DingTalk's sub_code when it has one, else the errcode. */
function refusalCode(error: unknown): string | undefined {
	if (!(error instanceof NodeApiError)) return undefined;
	const response = (error.errorResponse ?? {}) as IDataObject;
	const code = response.subCode ?? response.errcode;
	return code === undefined ? undefined : String(code);
}

/** The hint of a refusal that means the app may not read contacts, if it is one. */
export function missingPermission(error: unknown, profile: PlatformProfile): string | undefined {
	const code = refusalCode(error);
	if (!code || !profile.contacts.permissionCodes.includes(code)) return undefined;
	const response = ((error as NodeApiError).errorResponse ?? {}) as IDataObject;
	return typeof response.hint === 'string' ? response.hint : (error as Error).message;
}

/**
 * A picker that cannot list because the app lacks a contacts permission shows one entry saying so
 * (and that an ID still works) instead of n8n's bare "could not load" error. Other failures stay
 * errors.
 */
export async function listOrExplain<T extends INodeListSearchItems | INodePropertyOptions>(
	profile: PlatformProfile,
	what: string,
	typeIdHow: string,
	load: () => Promise<T[]>,
): Promise<T[]> {
	const outcome = await settle(load());
	if (outcome.ok) return outcome.value;
	const hint = missingPermission(outcome.error, profile);
	if (hint === undefined) throw outcome.error;
	return [
		{
			name: `Cannot list ${what}: ${hint} Meanwhile ${typeIdHow}.`,
			value: '',
		} as T,
	];
}

/** Case-insensitive match of a search text against a picker entry's name and ID. */
export function matchesFilter(
	filter: string | undefined,
	...texts: Array<string | number>
): boolean {
	const wanted = (filter ?? '').trim().toLowerCase();
	return !wanted || texts.some((text) => String(text).toLowerCase().includes(wanted));
}
