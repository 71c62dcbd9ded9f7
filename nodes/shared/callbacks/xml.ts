import { CallbackRejected } from './errors';

/**
 * A small, strict XML reader for the decrypted messages WeCom posts to a callback URL
 * (https://developer.work.weixin.qq.com/document/path/90930 for the envelope, 92633/96508 for
 * approval events): `<xml>` with elements, text, CDATA, the five predefined entities and numeric
 * character references.
 *
 * - Why not regular expressions: the competitor that does so overwrites repeated elements (every
 *   approval node but the last, every approver but the last). This reader walks the document once,
 *   keeps an explicit stack (no recursion, so no stack overflow on deep input) and never drops an
 *   element: one that occurs twice becomes an array.
 * - Elements the caller declares as repeating (paths below the root, e.g.
 *   `ApprovalInfo.SpRecord.Details`) are arrays even when they occur once, so a workflow sees the
 *   same shape for one approver as for five. Declared elements that do not occur are absent.
 * - Refused (`CallbackRejected` 'format'): DTDs (<!DOCTYPE>, so no entity definitions, no
 *   external entities, no "billion laughs"), processing instructions other than the XML
 *   declaration, undefined entities, mismatched or unclosed tags, characters XML forbids, text
 *   mixed with child elements, and anything but whitespace and comments outside the root.
 * - Bounded (`CallbackRejected` 'size'): input bytes, nesting depth and element count.
 * - Attributes are checked for well-formedness and then left out: WeCom's messages carry none.
 * - Whatever the input, the only thing thrown is `CallbackRejected`.
 */

export type XmlNode = string | XmlObject;

export interface XmlObject {
	[name: string]: XmlNode | XmlNode[];
}

export interface XmlReadOptions {
	/** Dot-separated element paths below the root that always become arrays. */
	repeated?: Iterable<string>;
	/** Name the root element must have; `null` accepts any. Default `xml`, as WeCom sends. */
	root?: string | null;
	/** Default 512 KB (UTF-8 bytes). */
	maxBytes?: number;
	/** Default 32 levels, the root included. */
	maxDepth?: number;
	/** Default 10,000 elements. */
	maxElements?: number;
}

export const XML_MAX_BYTES = 512 * 1024;
export const XML_MAX_DEPTH = 32;
export const XML_MAX_ELEMENTS = 10_000;

/**
 * The declared paths as a tree of names, walked alongside the document: each element finds its
 * node from its parent's in O(1), without building path strings.
 */
interface DeclaredNode {
	repeated: boolean;
	children: Map<string, DeclaredNode>;
}

function declaredTree(paths: Iterable<string>): DeclaredNode {
	const root: DeclaredNode = { repeated: false, children: new Map() };
	for (const path of paths) {
		let node = root;
		for (const name of String(path).split('.')) {
			let child = node.children.get(name);
			if (child === undefined) {
				child = { repeated: false, children: new Map() };
				node.children.set(name, child);
			}
			node = child;
		}
		node.repeated = true;
	}
	return root;
}

interface Frame {
	name: string;
	/** Where this element is in the declared paths, if any path goes through it. */
	declared: DeclaredNode | undefined;
	children: XmlObject;
	text: string;
	hasChildren: boolean;
	/** Text other than whitespace between tags (CDATA, references, non-blank characters). */
	hasContent: boolean;
}

const PREDEFINED_ENTITIES: Record<string, string> = {
	lt: '<',
	gt: '>',
	amp: '&',
	apos: "'",
	quot: '"',
};

/** The longest reference read: `&#x10FFFF;` / `&#1114111;` with a couple of leading zeros. */
const MAX_REFERENCE_LENGTH = 12;

function reject(message: string): never {
	throw new CallbackRejected('format', message);
}

function isWhitespace(code: number): boolean {
	return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/** XML 1.0 `Char` (https://www.w3.org/TR/xml/#charsets) for a code point. */
function isXmlChar(code: number): boolean {
	return (
		code === 0x09 ||
		code === 0x0a ||
		code === 0x0d ||
		(code >= 0x20 && code <= 0xd7ff) ||
		(code >= 0xe000 && code <= 0xfffd) ||
		(code >= 0x10000 && code <= 0x10ffff)
	);
}

/** Length in UTF-16 units of the allowed character at `at`, or 0 if it is not allowed. */
function charLength(src: string, at: number): number {
	const code = src.charCodeAt(at);
	if (code >= 0xd800 && code <= 0xdbff) {
		const low = src.charCodeAt(at + 1);
		return low >= 0xdc00 && low <= 0xdfff ? 2 : 0;
	}
	return isXmlChar(code) ? 1 : 0;
}

/** XML 1.0 `NameStartChar` (https://www.w3.org/TR/xml/#NT-NameStartChar), BMP part. */
function isNameStart(code: number): boolean {
	return (
		(code >= 0x61 && code <= 0x7a) ||
		(code >= 0x41 && code <= 0x5a) ||
		code === 0x5f ||
		code === 0x3a ||
		(code >= 0xc0 && code <= 0xd6) ||
		(code >= 0xd8 && code <= 0xf6) ||
		(code >= 0xf8 && code <= 0x2ff) ||
		(code >= 0x370 && code <= 0x37d) ||
		(code >= 0x37f && code <= 0x1fff) ||
		(code >= 0x200c && code <= 0x200d) ||
		(code >= 0x2070 && code <= 0x218f) ||
		(code >= 0x2c00 && code <= 0x2fef) ||
		(code >= 0x3001 && code <= 0xd7ff) ||
		(code >= 0xf900 && code <= 0xfdcf) ||
		(code >= 0xfdf0 && code <= 0xfffd)
	);
}

function isNameChar(code: number): boolean {
	return (
		isNameStart(code) ||
		(code >= 0x30 && code <= 0x39) ||
		code === 0x2d ||
		code === 0x2e ||
		code === 0xb7 ||
		(code >= 0x300 && code <= 0x36f) ||
		(code >= 0x203f && code <= 0x2040)
	);
}

/** Characters U+10000..U+EFFFF (a surrogate pair) are name characters too. */
function nameCharLength(src: string, at: number, start: boolean): number {
	const code = src.charCodeAt(at);
	if (code >= 0xd800 && code <= 0xdb7f) {
		const low = src.charCodeAt(at + 1);
		return low >= 0xdc00 && low <= 0xdfff ? 2 : 0;
	}
	return (start ? isNameStart(code) : isNameChar(code)) ? 1 : 0;
}

/** End of the name starting at `at` (== `at` when there is none). */
function readName(src: string, at: number): number {
	let end = at;
	let step = nameCharLength(src, end, true);
	while (step > 0) {
		end += step;
		step = nameCharLength(src, end, false);
	}
	return end;
}

function skipWhitespace(src: string, at: number): number {
	let end = at;
	while (end < src.length && isWhitespace(src.charCodeAt(end))) end++;
	return end;
}

/** XML reads CR LF and lone CR as LF (https://www.w3.org/TR/xml/#sec-line-ends). */
function normalizeNewlines(text: string): string {
	return text.indexOf('\r') === -1 ? text : text.split('\r\n').join('\n').split('\r').join('\n');
}

/** Checks that `src[from, to)` holds only allowed characters. */
function checkChars(src: string, from: number, to: number, what: string): void {
	for (let at = from; at < to; ) {
		const step = charLength(src, at);
		if (step === 0) reject(`A character XML does not allow appears in ${what} at offset ${at}`);
		at += step;
	}
}

/** Reads the reference starting at `src[at] === '&'`; returns its text and where it ends. */
function readReference(src: string, at: number): { text: string; end: number } {
	const semicolon = src.indexOf(';', at + 1);
	if (semicolon === -1 || semicolon - at > MAX_REFERENCE_LENGTH) {
		reject(`An '&' that starts no known reference at offset ${at}`);
	}
	const body = src.slice(at + 1, semicolon);
	const end = semicolon + 1;
	if (Object.prototype.hasOwnProperty.call(PREDEFINED_ENTITIES, body)) {
		return { text: PREDEFINED_ENTITIES[body], end };
	}
	if (body.charCodeAt(0) !== 0x23) {
		// No DTD is read, so no other entity exists.
		reject(`An undefined entity at offset ${at} (only &lt; &gt; &amp; &apos; &quot; exist)`);
	}
	const hex = body.charCodeAt(1) === 0x78; // '#x'
	const digits = body.slice(hex ? 2 : 1);
	let code = 0;
	let valid = digits.length > 0;
	for (let i = 0; valid && i < digits.length; i++) {
		const d = digits.charCodeAt(i);
		let value = -1;
		if (d >= 0x30 && d <= 0x39) value = d - 0x30;
		else if (hex && d >= 0x61 && d <= 0x66) value = d - 0x61 + 10;
		else if (hex && d >= 0x41 && d <= 0x46) value = d - 0x41 + 10;
		valid = value >= 0;
		code = code * (hex ? 16 : 10) + value;
	}
	if (!valid || !isXmlChar(code)) {
		reject(`A character reference at offset ${at} names no allowed character`);
	}
	return { text: String.fromCodePoint(code), end };
}

/** Reads one quoted attribute-like value starting at the quote; returns the index after it. */
function readQuoted(src: string, at: number, what: string): { value: string; end: number } {
	const quote = src.charCodeAt(at);
	if (quote !== 0x22 && quote !== 0x27)
		reject(`The value of ${what} at offset ${at} is not quoted`);
	const close = src.indexOf(quote === 0x22 ? '"' : "'", at + 1);
	if (close === -1) reject(`The value of ${what} at offset ${at} never ends`);
	let value = '';
	let from = at + 1;
	for (let i = from; i < close; ) {
		const code = src.charCodeAt(i);
		if (code === 0x3c) reject(`A '<' inside the value of ${what} at offset ${i}`);
		if (code === 0x26) {
			value += src.slice(from, i);
			const reference = readReference(src, i);
			value += reference.text;
			i = reference.end;
			from = i;
			continue;
		}
		const step = charLength(src, i);
		if (step === 0) reject(`A character XML does not allow in ${what} at offset ${i}`);
		i += step;
	}
	return { value: value + src.slice(from, close), end: close + 1 };
}

/**
 * The XML declaration, `<?xml version="1.x" encoding="UTF-8" standalone="yes"?>`: version first,
 * the others optional and in that order. The text was decoded as UTF-8, so another encoding is
 * refused rather than misread.
 */
function readDeclaration(src: string, at: number): number {
	const close = src.indexOf('?>', at);
	if (close === -1) reject('The XML declaration never ends');
	const allowed = ['version', 'encoding', 'standalone'];
	const seen: string[] = [];
	let i = at + 5; // after '<?xml'
	for (;;) {
		const next = skipWhitespace(src, i);
		if (next >= close) break;
		if (next === i) reject(`Malformed XML declaration at offset ${next}`);
		const nameEnd = readName(src, next);
		const name = src.slice(next, nameEnd);
		const order = allowed.indexOf(name);
		if (order === -1 || (seen.length > 0 && allowed.indexOf(seen[seen.length - 1]) >= order)) {
			reject(`Unexpected '${name.slice(0, 20)}' in the XML declaration`);
		}
		let j = skipWhitespace(src, nameEnd);
		if (src.charCodeAt(j) !== 0x3d) reject(`Malformed XML declaration at offset ${j}`);
		j = skipWhitespace(src, j + 1);
		const { value, end } = readQuoted(src, j, `'${name}'`);
		if (end > close) reject('Malformed XML declaration');
		const ok =
			name === 'version'
				? /^1\.[0-9]+$/.test(value)
				: name === 'encoding'
					? value.toLowerCase() === 'utf-8'
					: value === 'yes' || value === 'no';
		if (!ok) reject(`The XML declaration's ${name} '${value.slice(0, 20)}' is not supported`);
		seen.push(name);
		i = end;
	}
	if (seen[0] !== 'version') reject('The XML declaration has no version');
	return close + 2;
}

/** Reads a comment starting at `<!--`; returns the index after `-->`. */
function readComment(src: string, at: number): number {
	const close = src.indexOf('-->', at + 4);
	if (close === -1) reject(`A comment at offset ${at} never ends`);
	const doubleDash = src.indexOf('--', at + 4);
	if (doubleDash !== close) reject(`'--' inside a comment at offset ${doubleDash}`);
	checkChars(src, at + 4, close, 'a comment');
	return close + 3;
}

function attach(parent: Frame, frame: Frame, value: XmlNode): void {
	parent.hasChildren = true;
	const siblings = parent.children;
	const { name } = frame;
	if (!Object.prototype.hasOwnProperty.call(siblings, name)) {
		siblings[name] = frame.declared?.repeated ? [value] : value;
		return;
	}
	const existing = siblings[name];
	// An undeclared element that repeats becomes an array rather than losing its first occurrences.
	if (Array.isArray(existing)) existing.push(value);
	else siblings[name] = [existing, value];
}

function positiveLimit(value: number | undefined, fallback: number): number {
	return typeof value === 'number' && value > 0 ? value : fallback;
}

/**
 * Reads `input` into a plain object: the root's children by name, text-only elements as strings
 * (empty and self-closing ones as ''), elements with children as objects, repeated ones as arrays.
 */
export function readXml(input: unknown, options: XmlReadOptions = {}): XmlObject {
	const maxBytes = positiveLimit(options.maxBytes, XML_MAX_BYTES);
	const maxDepth = positiveLimit(options.maxDepth, XML_MAX_DEPTH);
	const maxElements = positiveLimit(options.maxElements, XML_MAX_ELEMENTS);
	const expectedRoot = options.root === undefined ? 'xml' : options.root;
	const declared = declaredTree(options.repeated ?? []);

	if (typeof input !== 'string') reject('The message is not text');
	// A UTF-16 unit is at least one UTF-8 byte, so the cheap length check comes first.
	if (input.length > maxBytes || Buffer.byteLength(input, 'utf8') > maxBytes) {
		throw new CallbackRejected('size', `The XML is larger than ${maxBytes} bytes`);
	}
	const src = input;
	let i = src.charCodeAt(0) === 0xfeff ? 1 : 0;
	if (src.startsWith('<?xml', i) && isWhitespace(src.charCodeAt(i + 5))) {
		i = readDeclaration(src, i);
	}

	const stack: Frame[] = [];
	let result: XmlObject | undefined;
	let elements = 0;

	while (i < src.length) {
		const top = stack.length > 0 ? stack[stack.length - 1] : undefined;
		const code = src.charCodeAt(i);

		if (top === undefined) {
			// Outside the root: whitespace and comments only.
			if (isWhitespace(code)) {
				i++;
				continue;
			}
			if (src.startsWith('<!--', i)) {
				i = readComment(src, i);
				continue;
			}
			if (result !== undefined) reject(`Content after the root element at offset ${i}`);
			if (src.startsWith('<!', i)) reject('A DTD (<!DOCTYPE …>) is refused');
			if (src.startsWith('<?', i)) reject('Processing instructions are refused');
			if (code !== 0x3c || src.charCodeAt(i + 1) === 0x2f) {
				reject(`The document does not start with an element (offset ${i})`);
			}
		} else if (code !== 0x3c) {
			// Character data up to the next markup or reference.
			if (code === 0x26) {
				const reference = readReference(src, i);
				top.text += reference.text;
				top.hasContent = true;
				i = reference.end;
				continue;
			}
			let end = i;
			let blank = true;
			while (end < src.length) {
				const c = src.charCodeAt(end);
				if (c === 0x3c || c === 0x26) break;
				if (c === 0x5d && src.startsWith(']]>', end)) reject(`']]>' in text at offset ${end}`);
				if (!isWhitespace(c)) blank = false;
				const step = charLength(src, end);
				if (step === 0) reject(`A character XML does not allow in text at offset ${end}`);
				end += step;
			}
			top.text += normalizeNewlines(src.slice(i, end));
			if (!blank) top.hasContent = true;
			i = end;
			continue;
		} else if (src.startsWith('<![CDATA[', i)) {
			const start = i + 9;
			const close = src.indexOf(']]>', start);
			if (close === -1) reject(`A CDATA section at offset ${i} never ends`);
			checkChars(src, start, close, 'CDATA');
			top.text += normalizeNewlines(src.slice(start, close));
			top.hasContent = true;
			i = close + 3;
			continue;
		} else if (src.startsWith('<!--', i)) {
			i = readComment(src, i);
			continue;
		} else if (src.charCodeAt(i + 1) === 0x21) {
			reject(`Markup declarations are refused (offset ${i})`);
		} else if (src.charCodeAt(i + 1) === 0x3f) {
			reject('Processing instructions are refused');
		} else if (src.charCodeAt(i + 1) === 0x2f) {
			// End tag.
			const nameEnd = readName(src, i + 2);
			const name = src.slice(i + 2, nameEnd);
			const close = skipWhitespace(src, nameEnd);
			if (src.charCodeAt(close) !== 0x3e) reject(`Malformed end tag at offset ${i}`);
			if (name !== top.name) {
				reject(`</${name.slice(0, 40)}> at offset ${i} does not close <${top.name.slice(0, 40)}>`);
			}
			result = closeElement(stack) ?? result;
			i = close + 1;
			continue;
		}

		// Start tag (of the root when the stack is empty).
		const nameEnd = readName(src, i + 1);
		if (nameEnd === i + 1) reject(`A '<' that starts no tag at offset ${i}`);
		const name = src.slice(i + 1, nameEnd);
		if (name === '__proto__') reject(`The element name at offset ${i} is not accepted`);
		if (stack.length === 0 && expectedRoot !== null && name !== expectedRoot) {
			reject(`The root element is <${name.slice(0, 40)}>, not <${expectedRoot}>`);
		}
		if (++elements > maxElements) {
			throw new CallbackRejected('size', `The XML has more than ${maxElements} elements`);
		}
		if (stack.length + 1 > maxDepth) {
			throw new CallbackRejected('size', `The XML nests deeper than ${maxDepth} levels`);
		}
		let j = nameEnd;
		let selfClosing = false;
		const attributes = new Set<string>();
		for (;;) {
			const next = skipWhitespace(src, j);
			if (next >= src.length) reject(`The tag at offset ${i} never ends`);
			if (src.charCodeAt(next) === 0x3e) {
				j = next + 1;
				break;
			}
			if (src.startsWith('/>', next)) {
				j = next + 2;
				selfClosing = true;
				break;
			}
			if (next === j) reject(`Malformed tag at offset ${next}`);
			const attributeEnd = readName(src, next);
			if (attributeEnd === next) reject(`Malformed attribute at offset ${next}`);
			const attribute = src.slice(next, attributeEnd);
			if (attributes.has(attribute)) reject(`A repeated attribute at offset ${next}`);
			attributes.add(attribute);
			let k = skipWhitespace(src, attributeEnd);
			if (src.charCodeAt(k) !== 0x3d) reject(`An attribute without a value at offset ${next}`);
			k = skipWhitespace(src, k + 1);
			// Checked, then left out (see above).
			j = readQuoted(src, k, 'an attribute').end;
		}
		stack.push({
			name,
			declared: top === undefined ? declared : top.declared?.children.get(name),
			children: {},
			text: '',
			hasChildren: false,
			hasContent: false,
		});
		if (selfClosing) result = closeElement(stack) ?? result;
		i = j;
	}

	if (stack.length > 0) reject(`<${stack[stack.length - 1].name.slice(0, 40)}> is never closed`);
	if (result === undefined) reject('The document has no root element');
	return result;
}

/** Closes the innermost element; returns the root's object when that was the root. */
function closeElement(stack: Frame[]): XmlObject | undefined {
	const frame = stack.pop() as Frame;
	const parent = stack.length > 0 ? stack[stack.length - 1] : undefined;
	if (frame.hasChildren && frame.hasContent) {
		reject(`<${frame.name.slice(0, 40)}> mixes text with elements`);
	}
	if (parent === undefined) {
		if (frame.hasContent) reject('The root element holds text instead of elements');
		return frame.children;
	}
	attach(parent, frame, frame.hasChildren ? frame.children : frame.text);
	return undefined;
}
