import { randomUUID } from 'crypto';

/** A file to send as the one part of a multipart/form-data body. */
export interface MultipartFile {
	data: Buffer;
	fileName: string;
	mimeType: string;
}

/**
 * A multipart/form-data body with one file field, built here (no form library may be shipped):
 * robot uploads and WeCom's temporary media. The file name and type go into a header, so anything
 * that could end it is removed.
 */
export function multipartBody(
	field: string,
	file: MultipartFile,
): { body: Buffer; contentType: string } {
	const boundary = `n8n-${randomUUID()}`;
	// Control characters (CR and LF among them), DEL, quotes and backslashes could end the header.
	const fileName =
		[...file.fileName]
			.filter(
				(char) =>
					char.charCodeAt(0) >= 0x20 && char.charCodeAt(0) !== 0x7f && !'"\\'.includes(char),
			)
			.join('') || 'file';
	const mimeType = /^[\w.+-]+\/[\w.+-]+$/.test(file.mimeType)
		? file.mimeType
		: 'application/octet-stream';
	const head = Buffer.from(
		`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\nContent-Type: ${mimeType}\r\n\r\n`,
		'utf8',
	);
	const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
	return {
		body: Buffer.concat([head, file.data, tail]),
		contentType: `multipart/form-data; boundary=${boundary}`,
	};
}
