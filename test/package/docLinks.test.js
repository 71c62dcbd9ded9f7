// @ts-check
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
const README = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const REPO_URL = 'https://github.com/n8n-nodes-dingtalk-wecom/n8n-nodes-dingtalk-wecom';

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(/** @type {string} */ heading) {
	return heading
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{N}\s_-]/gu, '')
		.replace(/\s/g, '-');
}

function readmeAnchors() {
	const anchors = new Set();
	let inCode = false;
	for (const line of README.split('\n')) {
		if (line.startsWith('```')) inCode = !inCode;
		const heading = !inCode && /^#{1,6}\s+(.*)$/.exec(line);
		if (heading) anchors.add(slug(heading[1]));
	}
	return anchors;
}

/** Every documentation URL the pack shows in n8n: credentials' documentationUrl and the codex files. */
function shippedDocumentationUrls() {
	const urls = [];
	for (const file of fs.readdirSync(path.join(root, 'credentials'))) {
		const text = fs.readFileSync(path.join(root, 'credentials', file), 'utf8');
		const found = /documentationUrl\s*=\s*'([^']+)'/.exec(text.replace(/\s*\n\s*/g, ' '));
		if (!found) throw new Error(`${file} has no documentationUrl`);
		urls.push({ where: file, url: found[1] });
	}
	for (const { codexFile, codex } of codexFiles()) {
		for (const list of Object.values(codex.resources))
			for (const { url } of /** @type {Array<{ url: string }>} */ (list))
				urls.push({ where: codexFile, url });
	}
	return urls;
}

/** Every node's codex file (`<Node>.node.json`, triggers included) with its parsed content. */
function codexFiles() {
	const found = [];
	for (const platform of fs.readdirSync(path.join(root, 'nodes'))) {
		const dir = path.join(root, 'nodes', platform);
		if (!fs.statSync(dir).isDirectory()) continue;
		for (const file of fs.readdirSync(dir).filter((name) => name.endsWith('.node.json'))) {
			const codex = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
			found.push({
				codexFile: `${platform}/${file}`,
				source: path.join(dir, file.replace(/\.json$/, '.ts')),
				codex,
			});
		}
	}
	return found;
}

describe('documentation links', () => {
	const anchors = readmeAnchors();

	test('every documentation link of the nodes and credentials points at a README heading', () => {
		const urls = shippedDocumentationUrls();
		expect(urls.length).toBeGreaterThanOrEqual(8);
		const broken = urls.filter(({ url }) => {
			if (!url.startsWith(`${REPO_URL}#`)) return true;
			return !anchors.has(url.slice(REPO_URL.length + 1));
		});
		expect(broken).toEqual([]);
	});

	test("each node's own documentationUrl is its codex link (n8n's Docs link keeps its #anchor only then)", () => {
		const files = codexFiles();
		expect(files.length).toBeGreaterThanOrEqual(5);
		const mismatches = files.flatMap(({ codexFile, source, codex }) => {
			const text = fs.readFileSync(source, 'utf8').replace(/\s*\n\s*/g, ' ');
			const own = /documentationUrl:\s*'([^']+)'/.exec(text)?.[1];
			const primary = codex.resources.primaryDocumentation[0].url;
			return own === primary ? [] : [`${codexFile}: ${own ?? 'no documentationUrl'} ≠ ${primary}`];
		});
		expect(mismatches).toEqual([]);
	});

	test("the README's own anchors and relative file links resolve", () => {
		const links = [...README.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]);
		const broken = links.filter((link) => {
			if (/^https?:\/\//.test(link)) return false;
			if (link.startsWith('#')) return !anchors.has(link.slice(1));
			return !fs.existsSync(path.join(root, link.split('#')[0]));
		});
		expect(broken).toEqual([]);
	});

	test('the slug rule matches GitHub for the headings we link to', () => {
		expect(slug('DingTalk robot credentials')).toBe('dingtalk-robot-credentials');
		expect(slug('Security: what the pack refuses, and why')).toBe(
			'security-what-the-pack-refuses-and-why',
		);
		expect(slug('Any other API: API Call with Managed Token')).toBe(
			'any-other-api-api-call-with-managed-token',
		);
	});
});
