import { CallbackRejected } from '../../shared/callbacks/errors';
import { readJson } from '../../shared/callbacks/receiver';
import type { XmlNode, XmlObject } from '../../shared/callbacks/xml';
import { readXml } from '../../shared/callbacks/xml';
import { field, repeatedPathsFor, text } from './events';

/**
 * The decrypted message of a WeCom callback, XML or JSON, in the one shape the item builders read.
 *
 * - The envelope decides the format: an XML envelope carries an XML message, a JSON envelope
 *   (`{"tousername","encrypt","agentid"}`) a JSON one, as WeCom's JSON sample decrypts it
 *   (https://github.com/sbzhu/weworkapi_python/blob/master/callback_json_python3/WXBizJsonMsgCrypt.py)
 *   and as doc 101033 describes JSON callbacks
 *   (https://developer.work.weixin.qq.com/document/path/101033).
 * - A JSON message becomes what `readXml` would give for the same data: objects stay objects,
 *   arrays stay arrays, numbers become their exact source text, booleans 'true'/'false', null ''.
 *   So an item's values are text in both formats, and an 18-digit MsgId keeps its last digits.
 * - The repeating paths of the event are applied to JSON too: a single object where a list is
 *   declared becomes an array of one, as in XML.
 */

export type MessageFormat = 'xml' | 'json';

export interface DecryptedMessage {
	message: XmlObject;
	/** The Event value, '' when there is none (plain messages). */
	event: string;
}

/** Objects and arrays in JSON → the XmlObject shape; nested arrays are flattened (XML has none). */
function fromJson(value: unknown): XmlNode | XmlNode[] {
	if (typeof value === 'string') return value;
	if (value === null) return '';
	if (typeof value !== 'object') return String(value);
	if (Array.isArray(value)) {
		return value.flatMap((entry: unknown) => {
			const converted = fromJson(entry);
			return Array.isArray(converted) ? converted : [converted];
		});
	}
	const out: XmlObject = {};
	for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
		out[key] = fromJson(entry);
	}
	return out;
}

/** The key of `parent` that `name` finds (exactly, else regardless of case), as `field` reads it. */
function keyOf(parent: XmlObject, name: string): string | undefined {
	if (Object.prototype.hasOwnProperty.call(parent, name)) return name;
	const lower = name.toLowerCase();
	return Object.keys(parent).find((candidate) => candidate.toLowerCase() === lower);
}

/** Makes the value at `names` below `parent` an array, through every array on the way. */
function declareRepeated(parent: XmlObject, names: string[]): void {
	const key = keyOf(parent, names[0]);
	if (key === undefined) return;
	const value = parent[key];
	if (names.length === 1) {
		if (!Array.isArray(value)) parent[key] = [value];
		return;
	}
	for (const entry of Array.isArray(value) ? value : [value]) {
		if (typeof entry === 'object') declareRepeated(entry, names.slice(1));
	}
}

function readJsonMessage(decrypted: string): DecryptedMessage {
	const parsed = readJson(decrypted, 'The decrypted message', { numbersAsText: true });
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw new CallbackRejected('format', 'The decrypted message is not a JSON object');
	}
	const message = fromJson(parsed) as XmlObject;
	const event = text(field(message, 'Event'));
	for (const path of repeatedPathsFor(event)) declareRepeated(message, path.split('.'));
	return { message, event };
}

function readXmlMessage(decrypted: string): DecryptedMessage {
	const head = readXml(decrypted);
	const event = typeof head.Event === 'string' ? head.Event : '';
	return { message: readXml(decrypted, { repeated: repeatedPathsFor(event) }), event };
}

/** Reads a decrypted message in the format of its envelope; anything wrong is `CallbackRejected`. */
export function readMessage(decrypted: string, format: MessageFormat): DecryptedMessage {
	return format === 'json' ? readJsonMessage(decrypted) : readXmlMessage(decrypted);
}
