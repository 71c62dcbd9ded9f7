// @ts-check
'use strict';

/**
 * Minimal multipart/form-data parser (media uploads send the file in the field `media`).
 *
 * @typedef {{ filename: string, contentType: string, size: number, data: Buffer }} UploadedFile
 * @typedef {{ fields: Record<string, string>, files: Record<string, UploadedFile> }} MultipartBody
 */

/** Value of `key="…"` (or key=token) in a header such as Content-Disposition. */
function headerParam(/** @type {string} */ header, /** @type {string} */ key) {
	const match = new RegExp(`(?:^|;)\\s*${key}=(?:"([^"]*)"|([^;]*))`, 'i').exec(header);
	return match ? (match[1] ?? match[2] ?? '').trim() : undefined;
}

/**
 * @param {Buffer} raw
 * @param {string} boundary
 * @returns {MultipartBody}
 */
function parseMultipart(raw, boundary) {
	/** @type {MultipartBody} */
	const body = { fields: {}, files: {} };
	const delimiter = Buffer.from(`--${boundary}`);
	let cursor = raw.indexOf(delimiter);
	while (cursor !== -1) {
		const afterDelimiter = cursor + delimiter.length;
		if (raw.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') break; // closing delimiter
		const partStart = afterDelimiter + 2; // CRLF after the delimiter
		const next = raw.indexOf(delimiter, partStart);
		if (next === -1) break;
		const part = raw.subarray(partStart, Math.max(partStart, next - 2)); // CRLF before the next delimiter
		cursor = next;

		const headerEnd = part.indexOf('\r\n\r\n');
		if (headerEnd === -1) continue;
		/** @type {Record<string, string>} */
		const headers = {};
		for (const line of part.subarray(0, headerEnd).toString('utf8').split('\r\n')) {
			const colon = line.indexOf(':');
			if (colon > 0)
				headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
		}
		const disposition = headers['content-disposition'] ?? '';
		const name = headerParam(disposition, 'name');
		if (!name) continue;
		const data = part.subarray(headerEnd + 4);
		const filename = headerParam(disposition, 'filename');
		if (filename !== undefined) {
			body.files[name] = {
				filename,
				contentType: headers['content-type'] ?? 'application/octet-stream',
				size: data.length,
				data: Buffer.from(data),
			};
		} else {
			body.fields[name] = data.toString('utf8');
		}
	}
	return body;
}

module.exports = { parseMultipart, headerParam };
