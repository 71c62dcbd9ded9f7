// @ts-check
'use strict';

const { once } = require('node:events');
const http = require('node:http');

/**
 * A host that must never be contacted: it records whatever reaches it (and answers like a token
 * endpoint, so a client that followed a redirect there would carry on with a foreign token).
 */
async function foreignHost() {
	/** @type {Array<{ method?: string, url?: string, body: string }>} */
	const received = [];
	const server = http.createServer((request, response) => {
		let body = '';
		request.on('data', (chunk) => (body += chunk));
		request.on('end', () => {
			received.push({ method: request.method, url: request.url, body });
			response.setHeader('content-type', 'application/json');
			response.end(JSON.stringify({ errcode: 0, access_token: 'foreign-token', expires_in: 7200 }));
		});
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
	return {
		url: `http://127.0.0.1:${port}`,
		host: `127.0.0.1:${port}`,
		received,
		close: async () => await new Promise((resolve) => server.close(resolve)),
	};
}

/** A loopback port with nothing listening on it. */
async function closedPort() {
	const server = http.createServer().listen(0, '127.0.0.1');
	await once(server, 'listening');
	const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
	await new Promise((resolve) => server.close(resolve));
	return port;
}

module.exports = { foreignHost, closedPort };
