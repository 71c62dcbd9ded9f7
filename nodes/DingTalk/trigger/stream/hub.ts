import { createHash } from 'crypto';

import type { PlatformCredentials } from '../../../shared/platform/types';
import { familyBaseUrl } from '../../../shared/transport/http';
import { dingTalkProfile } from '../../platform/profile';
import type { AckStatus, DownstreamFrame } from './frames';
import type { StreamGrant, StreamOpening, StreamProblem } from './gateway';
import type { SessionLog, StreamSocket } from './session';
import { StreamSession } from './session';

/**
 * One Stream connection per app in this n8n process, shared by every Stream trigger of the app.
 * DingTalk gives each push to one of an app's connections at random
 * (https://github.com/open-dingtalk/developerpedia/blob/main/docs/learn/stream/protocol.md), so
 * two triggers with their own connections would each receive only part of the events, and one
 * that drops an event with its filters would consume it for the other. Here every subscribed
 * trigger sees every event, and the event is acknowledged SUCCESS only when all of them have it.
 */

export interface StreamSubscriber {
	/** Handles one event for one trigger: its filters, de-duplication and hand-over to n8n. */
	handle(frame: DownstreamFrame): Promise<AckStatus>;
	/** The app was refused later on: the trigger reports it to n8n. */
	fail(problem: StreamProblem): void;
}

export interface HubConnection {
	open: () => Promise<StreamOpening>;
	connect: (url: string) => StreamSocket;
	log: SessionLog;
}

interface Hub {
	key: string;
	/** Each trigger with its own way to open connections (its n8n context and credential). */
	subscribers: Map<StreamSubscriber, HubConnection>;
	session: StreamSession;
	/** The first connection's opening; later triggers of the app wait for it too. */
	ready: Promise<StreamProblem | undefined>;
}

const hubs = new Map<string, Hub>();

/**
 * The app a credential opens connections for: Client ID, API base URL as the gateway call uses it
 * (so an empty field and the default are one app) and secret, hashed.
 */
export function appKeyOf(credentials: PlatformCredentials): string {
	let baseUrl: string;
	try {
		baseUrl = familyBaseUrl(dingTalkProfile, 'api', credentials);
	} catch {
		// An unusable base URL: the first opening refuses it with what to fix.
		baseUrl = String(credentials.apiBaseUrl ?? '');
	}
	const clientId = String(credentials.appKey ?? '').trim();
	const secret = String(credentials.appSecret ?? '');
	return createHash('sha256').update(`${clientId}\n${baseUrl}\n${secret}`, 'utf8').digest('hex');
}

async function dispatch(hub: Hub, frame: DownstreamFrame): Promise<AckStatus> {
	const subscribers = [...hub.subscribers.keys()];
	// A push between the last trigger leaving and the socket closing goes back to DingTalk.
	if (subscribers.length === 0) return 'LATER';
	const answers = await Promise.all(
		subscribers.map(
			async (subscriber) => await subscriber.handle(frame).catch((): AckStatus => 'LATER'),
		),
	);
	// A trigger that could not take it has it pushed again; the others recognise the repeat.
	return answers.every((answer) => answer === 'SUCCESS') ? 'SUCCESS' : 'LATER';
}

function createHub(key: string, connection: HubConnection): Hub {
	let resolveReady: (problem: StreamProblem | undefined) => void = () => undefined;
	const ready = new Promise<StreamProblem | undefined>((resolve) => {
		resolveReady = resolve;
	});
	// Reconnections go through a trigger still subscribed: the first one may have left.
	const current = (): HubConnection => hub.subscribers.values().next().value ?? connection;
	const hub: Hub = {
		key,
		subscribers: new Map(),
		ready,
		session: new StreamSession({
			open: async () => await current().open(),
			connect: (url) => current().connect(url),
			onEvent: async (frame) => await dispatch(hub, frame),
			onFatal: (problem) => {
				if (hubs.get(key) === hub) hubs.delete(key);
				for (const subscriber of hub.subscribers.keys()) subscriber.fail(problem);
				hub.subscribers.clear();
			},
			log: connection.log,
		}),
	};
	void (async () => {
		// The first connection is opened before any trigger is told it is listening, so that
		// wrong credentials fail the activation (or the test run) at once.
		const opening = await connection.open().catch(
			(error: unknown): StreamOpening => ({
				problem: {
					refused: false,
					message: error instanceof Error ? error.message : 'unknown error',
					advice: 'Try again shortly.',
				},
			}),
		);
		if ('problem' in opening) {
			if (hubs.get(key) === hub) hubs.delete(key);
			resolveReady(opening.problem);
			return;
		}
		hub.session.start(opening.grant as StreamGrant);
		resolveReady(undefined);
	})();
	return hub;
}

/**
 * Subscribes a trigger to its app's connection, opening it if this is the app's first trigger.
 * Answers the problem when the connection cannot be opened, else the function that unsubscribes
 * (closing the connection with the app's last trigger).
 */
export async function subscribeToApp(
	key: string,
	connection: HubConnection,
	subscriber: StreamSubscriber,
): Promise<{ problem: StreamProblem } | { unsubscribe: () => Promise<void> }> {
	let hub = hubs.get(key);
	if (hub === undefined) {
		hub = createHub(key, connection);
		hubs.set(key, hub);
	}
	const problem = await hub.ready;
	if (problem !== undefined) return { problem };
	// The connection was refused for good while this trigger waited: start over with a new one.
	if (hubs.get(key) !== hub) return await subscribeToApp(key, connection, subscriber);
	const joined = hub;
	joined.subscribers.set(subscriber, connection);
	let left = false;
	return {
		unsubscribe: async () => {
			if (left) return;
			left = true;
			joined.subscribers.delete(subscriber);
			if (joined.subscribers.size > 0) return;
			if (hubs.get(key) === joined) hubs.delete(key);
			await joined.session.close();
		},
	};
}

/** Apps with an open shared connection (for tests and logs). */
export function openApps(): number {
	return hubs.size;
}
