// @ts-check
'use strict';

/**
 * The secret scan every suite applies to what the pack produced (output items, errors, logs): no
 * app secret, access token, robot token or key, or sign secret may appear in it. The secrets come
 * from the emulator (what it seeded and every token it issued) and from the credentials a test
 * used (including deliberately wrong ones).
 */

/** Fields of credential data that hold secrets (robot webhook URLs carry their token). */
const SECRET_FIELDS = ['appSecret', 'corpSecret', 'signSecret', 'accessToken', 'webhookToken'];

/** Shorter values are too likely to occur by chance to be scanned for. */
const MIN_LENGTH = 8;

/**
 * @typedef {{ label: string, value: string }} Secret
 */

/** Every secret the emulator knows: seeded app secrets, robot tokens, keys and sign secrets, issued tokens. */
function emulatorSecrets(/** @type {any} */ emu) {
	/** @type {Secret[]} */
	const secrets = [];
	const { dingtalk, wecom } = emu.seed;
	for (const app of dingtalk.apps ?? [])
		secrets.push({ label: `DingTalk AppSecret of ${app.appKey}`, value: app.appSecret });
	for (const robot of dingtalk.robots ?? []) {
		secrets.push({ label: `DingTalk robot token (${robot.name})`, value: robot.accessToken });
		if (robot.secret)
			secrets.push({ label: `DingTalk robot sign secret (${robot.name})`, value: robot.secret });
	}
	for (const app of wecom.apps ?? [])
		secrets.push({ label: `WeCom Secret of ${app.corpId}/${app.agentId}`, value: app.secret });
	for (const robot of wecom.robots ?? [])
		secrets.push({ label: `WeCom robot key (${robot.name})`, value: robot.key });
	for (const record of emu.state?.tokens?.issued ?? []) {
		secrets.push({
			label: `${record.platform} access token issued to ${record.owner}`,
			value: record.token,
		});
	}
	return secrets;
}

/** The secrets in credential data as tests pass it: { type: { field: value } }. */
function credentialSecrets(/** @type {Record<string, Record<string, unknown>>} */ credentials) {
	/** @type {Secret[]} */
	const secrets = [];
	for (const [type, data] of Object.entries(credentials ?? {})) {
		for (const field of SECRET_FIELDS) {
			const value = data?.[field];
			if (typeof value !== 'string' || value === '') continue;
			// A webhook URL is not secret as a whole; its token or key is.
			const token = /[?&](?:access_token|key)=([^&]+)/.exec(value)?.[1];
			secrets.push({ label: `${type}.${field}`, value: token ?? value });
		}
	}
	return secrets;
}

/** The labels of the secrets that occur in `text` (values shown masked, never in clear). */
function findLeaks(/** @type {string} */ text, /** @type {Secret[]} */ secrets) {
	const leaks = new Set();
	for (const { label, value } of secrets) {
		if (typeof value === 'string' && value.length >= MIN_LENGTH && text.includes(value)) {
			leaks.add(`${label} (${value.slice(0, 3)}…, ${value.length} chars)`);
		}
	}
	return [...leaks];
}

/** Serialises anything (errors with message, description and stack included) for the scan. */
function serialise(/** @type {unknown} */ value) {
	const seen = new WeakSet();
	return (
		JSON.stringify(value, (_key, entry) => {
			if (entry && typeof entry === 'object') {
				if (seen.has(entry)) return undefined;
				seen.add(entry);
			}
			if (entry instanceof Error) {
				return {
					...entry,
					message: entry.message,
					stack: entry.stack,
					description: /** @type {any} */ (entry).description,
				};
			}
			return entry;
		}) ?? ''
	);
}

/** Throws, naming the leaked secrets (masked) and where, when any secret occurs in `value`. */
function assertNoSecrets(
	/** @type {unknown} */ value,
	/** @type {Secret[]} */ secrets,
	/** @type {string} */ where,
) {
	const text = typeof value === 'string' ? value : serialise(value);
	const leaks = findLeaks(text, secrets);
	if (leaks.length) throw new Error(`Secret scan: ${where} contains ${leaks.join('; ')}`);
}

module.exports = { emulatorSecrets, credentialSecrets, findLeaks, assertNoSecrets, serialise };
