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
	for (const platform of fs.readdirSync(path.join(root, 'nodes'))) {
		const codex = path.join(root, 'nodes', platform, `${platform}.node.json`);
		if (!fs.existsSync(codex)) continue;
		const { resources } = JSON.parse(fs.readFileSync(codex, 'utf8'));
		for (const list of Object.values(resources))
			for (const { url } of /** @type {Array<{ url: string }>} */ (list))
				urls.push({ where: `${platform}.node.json`, url });
	}
	return urls;
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
