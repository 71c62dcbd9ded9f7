// Runs before every test file. n8n-core writes an encryption key into ~/.n8n unless
// N8N_USER_FOLDER points elsewhere; keep test runs away from the developer's own n8n.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

if (!process.env.N8N_USER_FOLDER) {
	const folder = path.join(os.tmpdir(), 'n8n-nodes-dingtalk-wecom-tests');
	fs.mkdirSync(folder, { recursive: true });
	process.env.N8N_USER_FOLDER = folder;
}
