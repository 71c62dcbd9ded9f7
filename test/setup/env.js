// Runs before every test file. n8n-core keeps an encryption key under N8N_USER_FOLDER and refuses
// to run when that key and N8N_ENCRYPTION_KEY differ, so each test process gets a fresh folder
// and a fixed key (which also stops n8n-core announcing a generated one).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

if (!process.env.N8N_USER_FOLDER) {
	process.env.N8N_USER_FOLDER = fs.mkdtempSync(
		path.join(os.tmpdir(), 'n8n-nodes-dingtalk-wecom-tests-'),
	);
	process.env.N8N_ENCRYPTION_KEY = 'n8n-nodes-dingtalk-wecom-test-key';
}
