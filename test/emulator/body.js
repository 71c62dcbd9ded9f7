// @ts-check
'use strict';

const { parseMultipart, headerParam } = require('./multipart');

/**
 * Reading and parsing request bodies. Families decide what to accept (DingTalk's old API refuses
 * some content types, WeCom parses JSON whatever the content type); this module only reports what
 * arrived.
 *
 * @typedef {object} ParsedBody
 * @property {'empty'|'json'|'form'|'multipart'|'text'} kind
 * @property {unknown} value          object for json/form/multipart, string for text, undefined when empty or malformed
 * @property {string} mediaType       lower-case media type without parameters, '' when absent
 * @property {boolean} malformedJson  declared as JSON, or looked like JSON, but did not parse
 * @property {string} text            the raw body as UTF-8 (for logs and error messages)
 */

const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** @param {import('node:http').IncomingMessage} req @returns {Promise<Buffer>} */
function readBody(req) {
	return new Promise((resolve, reject) => {
		/** @type {Buffer[]} */
		const chunks = [];
		let size = 0;
		req.on('data', (/** @type {Buffer} */ chunk) => {
			size += chunk.length;
			if (size > MAX_BODY_BYTES) {
				reject(new Error(`request body over ${MAX_BODY_BYTES} bytes`));
				req.destroy();
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

/**
 * @param {Buffer} raw
 * @param {string | undefined} contentType the Content-Type header
 * @returns {ParsedBody}
 */
function parseBody(raw, contentType) {
	const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
	const text =
		mediaType === 'multipart/form-data' ? `<multipart, ${raw.length} bytes>` : raw.toString('utf8');
	/** @param {ParsedBody['kind']} kind @param {unknown} value @param {boolean} [malformedJson] */
	const result = (kind, value, malformedJson = false) => ({
		kind,
		value,
		mediaType,
		malformedJson,
		text,
	});

	if (raw.length === 0) return result('empty', undefined);
	if (mediaType === 'multipart/form-data') {
		const boundary = headerParam(contentType ?? '', 'boundary');
		return result(
			'multipart',
			boundary ? parseMultipart(raw, boundary) : { fields: {}, files: {} },
		);
	}
	// A body that looks like JSON is read as JSON whatever the Content-Type says (WeCom clients send
	// text/plain); families that care about the declared type check `mediaType` themselves.
	const declaredJson = mediaType.includes('json');
	if (declaredJson || /^\s*[{[]/.test(text)) {
		try {
			return result('json', JSON.parse(text));
		} catch {
			return result(declaredJson ? 'json' : 'text', declaredJson ? undefined : text, true);
		}
	}
	if (mediaType === 'application/x-www-form-urlencoded')
		return result('form', Object.fromEntries(new URLSearchParams(text)));
	return result('text', text);
}

/** The body as recorded in the request log: uploaded bytes are summarised, not kept. */
function describeBody(/** @type {ParsedBody} */ body) {
	if (body.kind === 'multipart') {
		const { fields, files } = /** @type {import('./multipart').MultipartBody} */ (body.value);
		const summary = Object.fromEntries(
			Object.entries(files).map(([name, file]) => [
				name,
				{ filename: file.filename, contentType: file.contentType, size: file.size },
			]),
		);
		return { fields, files: summary };
	}
	if (body.malformedJson) return body.text;
	return body.value;
}

module.exports = { readBody, parseBody, describeBody };
