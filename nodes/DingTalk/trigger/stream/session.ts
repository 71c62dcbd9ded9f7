import { sleep } from 'n8n-workflow';

import { backoffDelayMs } from '../../../shared/backoff';
import type { AckStatus, DownstreamFrame } from './frames';
import { ackFrame, pongFrame, readFrame } from './frames';
import type { StreamGrant, StreamOpening, StreamProblem } from './gateway';

/**
 * One Stream trigger's connection to DingTalk, kept open: it opens a connection, answers pings,
 * hands events to the trigger and acknowledges each with what the trigger says, and reconnects
 * when the server says `disconnect`, the socket drops or nothing arrives for too long. Failures in
 * a row back off exponentially with jitter; a refusal of the app itself stops the session.
 */

/** The part of a WebSocket the session uses (Node's built-in client, or `ws` in tests). */
export interface StreamSocket {
	readonly readyState: number;
	send(data: string): void;
	close(code?: number, reason?: string): void;
	addEventListener(type: string, listener: (event: { data?: unknown }) => void): void;
}

const OPEN = 1;

export interface SessionLog {
	debug(message: string): void;
	info(message: string): void;
	warn(message: string): void;
}

export interface StreamSessionOptions {
	/** Asks the gateway for a connection (endpoint and ticket). */
	open: () => Promise<StreamOpening>;
	/** Opens a WebSocket. */
	connect: (url: string) => StreamSocket;
	/** Handles one event; its answer is the acknowledgement. */
	onEvent: (frame: DownstreamFrame) => Promise<AckStatus>;
	/** The session cannot go on (the app was refused): the trigger reports it and stops. */
	onFatal: (problem: StreamProblem) => void;
	log: SessionLog;
	/** Reconnect when nothing (not even a ping) arrived for this long. */
	idleLimitMs?: number;
	backoff?: { baseMs?: number; capMs?: number; random?: () => number };
	/** Granularity of the waits, so that close() is never held up longer. */
	tickMs?: number;
	/**
	 * Connections opened within `window` ms beyond which each further one waits the back-off: a
	 * server that keeps dropping connections at once must not get a tight loop of openings (each
	 * sends the app secret).
	 */
	burst?: { opens: number; windowMs: number };
}

const DEFAULT_BURST = { opens: 12, windowMs: 5 * 60_000 };
/** How long close() lets acknowledgements being decided go out. */
const ACK_GRACE_MS = 1000;
/** How long an old socket may stay after the server's disconnect before the node closes it. */
const DRAIN_MS = 15_000;

/** How one socket ended, for the loop. */
type SocketEnd = 'disconnect' | 'closed' | 'idle' | 'failed';

interface Connection {
	socket: StreamSocket;
	lastFrameAt: number;
	/** The server said hello or sent anything: the connection worked. */
	healthy: boolean;
}

export class StreamSession {
	private closed = false;

	private readonly sockets = new Set<StreamSocket>();

	private loop: Promise<void> | undefined;

	/** Ends the wait for each running socket, so that close() never waits for the network. */
	private readonly endings = new Set<(end: SocketEnd) => void>();

	/** When recent connections were opened, for the burst limit. */
	private opens: number[] = [];

	/** Acknowledgements being decided: close() lets them go out first (bounded). */
	private readonly acking = new Set<Promise<void>>();

	/** Resolves when close() is called, so that a gateway call in progress is not waited for. */
	private readonly closing: Promise<void>;

	private signalClosing: () => void = () => undefined;

	/** Counts for logs and tests. */
	readonly stats = { connections: 0, events: 0, acks: 0, failures: 0 };

	constructor(private readonly options: StreamSessionOptions) {
		this.closing = new Promise<void>((resolve) => {
			this.signalClosing = resolve;
		});
	}

	/** Starts the loop; `first` is a grant already obtained (the trigger's first open). */
	start(first?: StreamGrant): void {
		this.loop = this.run(first);
	}

	/** Closes every socket and ends the loop; unacknowledged events are pushed again by DingTalk. */
	async close(): Promise<void> {
		this.closed = true;
		this.signalClosing();
		// An event the trigger has just decided on (a test run's, which n8n closes right after it)
		// still gets its acknowledgement; at most ACK_GRACE_MS, so close() stays bounded.
		if (this.acking.size > 0) {
			await Promise.race([Promise.allSettled([...this.acking]), sleep(ACK_GRACE_MS)]);
		}
		for (const socket of this.sockets) this.closeSocket(socket);
		this.sockets.clear();
		// A socket whose peer never answers the close handshake fires no close event (Node's
		// built-in client has no close timeout): the loop is ended here instead.
		for (const end of this.endings) end('closed');
		this.endings.clear();
		await this.loop;
	}

	get isClosed(): boolean {
		return this.closed;
	}

	private async run(first?: StreamGrant): Promise<void> {
		let failures = 0;
		let grant = first;
		while (!this.closed) {
			if (grant === undefined) {
				await this.pause(this.burstDelayMs());
				if (this.closed) return;
				const opening = await Promise.race([this.openSafely(), this.closing.then(() => undefined)]);
				// close() may have come while the gateway answered: nothing may be opened then.
				if (this.closed || opening === undefined) return;
				if ('problem' in opening) {
					if (opening.problem.refused) {
						this.closed = true;
						this.options.onFatal(opening.problem);
						return;
					}
					failures++;
					this.stats.failures++;
					this.options.log.warn(
						`DingTalk Stream: could not open a connection (${opening.problem.message}); retrying`,
					);
					await this.pause(backoffDelayMs(failures, this.options.backoff));
					continue;
				}
				grant = opening.grant;
			}
			this.opens.push(Date.now());
			const { end, healthy } = await this.runSocket(grant);
			grant = undefined;
			if (this.closed) return;
			if (healthy) failures = 0;
			else {
				failures++;
				this.stats.failures++;
			}
			// The server's own disconnect asks for a new connection now; anything else backs off.
			if (end !== 'disconnect') {
				const log = healthy ? this.options.log.info : this.options.log.warn;
				log.call(this.options.log, `DingTalk Stream: connection ${end}; reconnecting`);
				await this.pause(backoffDelayMs(Math.max(failures, 1), this.options.backoff));
			}
		}
	}

	/** The gateway's answer; a thrown error counts as a connection that could not be opened. */
	private async openSafely(): Promise<StreamOpening> {
		try {
			return await this.options.open();
		} catch (error) {
			const message = error instanceof Error ? error.message : 'unknown error';
			return { problem: { refused: false, message, advice: '' } };
		}
	}

	/** The wait before the next opening: none within the burst allowance, the back-off beyond it. */
	private burstDelayMs(): number {
		const { opens, windowMs } = this.options.burst ?? DEFAULT_BURST;
		const since = Date.now() - windowMs;
		this.opens = this.opens.filter((at) => at > since);
		const over = this.opens.length - opens + 1;
		return over > 0 ? backoffDelayMs(over, this.options.backoff) : 0;
	}

	/** Runs one socket until it closes, fails, goes idle or the server asks to move on. */
	private async runSocket(grant: StreamGrant): Promise<{ end: SocketEnd; healthy: boolean }> {
		let socket: StreamSocket;
		try {
			socket = this.options.connect(grant.url);
		} catch (error) {
			// The message names the cause (no built-in client, a malformed URL), never the ticket.
			const why = error instanceof Error ? error.name : 'unknown error';
			this.options.log.warn(
				`DingTalk Stream: could not open a WebSocket to ${grant.host} (${why})`,
			);
			return { end: 'failed', healthy: false };
		}
		this.sockets.add(socket);
		this.stats.connections++;
		const connection: Connection = { socket, lastFrameAt: Date.now(), healthy: false };
		let settle: (end: SocketEnd) => void = () => undefined;
		const ended = new Promise<SocketEnd>((resolve) => {
			settle = resolve;
		});
		this.endings.add(settle);
		void ended.then(() => this.endings.delete(settle));
		socket.addEventListener('open', () => {
			connection.lastFrameAt = Date.now();
			this.options.log.debug(`DingTalk Stream: connected to ${grant.host}`);
		});
		socket.addEventListener('message', (event) => {
			connection.lastFrameAt = Date.now();
			connection.healthy = true;
			const frame = readFrame(event.data);
			if (frame === undefined) {
				this.options.log.warn('DingTalk Stream: dropped a frame that is not a Stream frame');
				return;
			}
			if (this.handleFrame(connection, frame) === 'disconnect') settle('disconnect');
		});
		socket.addEventListener('close', () => {
			this.sockets.delete(socket);
			settle('closed');
		});
		socket.addEventListener('error', () => {
			// A close event follows; the error itself carries nothing to act on.
			this.options.log.debug('DingTalk Stream: socket error');
		});
		const end = await Promise.race([ended, this.watchIdle(connection, ended)]);
		if (end === 'idle') {
			this.closeSocket(socket);
			this.sockets.delete(socket);
		}
		if (end === 'disconnect') void this.drain(socket);
		return { end, healthy: connection.healthy };
	}

	/**
	 * After `disconnect` the old socket stays open for acknowledgements still on their way; the
	 * server closes it about 10 s later, and the node does after DRAIN_MS if it has not.
	 */
	private async drain(socket: StreamSocket): Promise<void> {
		await this.pause(DRAIN_MS);
		if (!this.sockets.has(socket)) return;
		this.closeSocket(socket);
		this.sockets.delete(socket);
	}

	/** Resolves 'idle' when nothing arrived for the idle limit; never, once the socket ended. */
	private async watchIdle(connection: Connection, ended: Promise<SocketEnd>): Promise<SocketEnd> {
		const limit = this.options.idleLimitMs ?? 5 * 60_000;
		let over = false;
		void ended.then(() => {
			over = true;
		});
		while (!over && !this.closed) {
			await sleep(this.options.tickMs ?? 1000);
			if (!over && Date.now() - connection.lastFrameAt > limit) return 'idle';
		}
		return await new Promise<SocketEnd>(() => undefined);
	}

	private handleFrame(connection: Connection, frame: DownstreamFrame): 'disconnect' | undefined {
		if (frame.type === 'SYSTEM') {
			const topic = frame.headers.topic;
			if (topic === 'ping') this.send(connection.socket, pongFrame(frame));
			// The server closes this socket about 10 s after `disconnect`; acknowledgements of events
			// still running go out on it meanwhile, and a new connection takes over now.
			if (topic === 'disconnect') return 'disconnect';
			return undefined;
		}
		if (frame.type === 'EVENT') {
			this.stats.events++;
			// Registered before the trigger sees the event, so a close() it causes waits for the ack.
			const acking = Promise.resolve().then(
				async () => await this.acknowledge(connection.socket, frame),
			);
			this.acking.add(acking);
			void acking.then(() => this.acking.delete(acking));
			return undefined;
		}
		// CALLBACK frames (robot messages, cards) are not subscribed to; they are never pushed again.
		this.options.log.debug(`DingTalk Stream: ignored a ${frame.type} frame`);
		return undefined;
	}

	private async acknowledge(socket: StreamSocket, frame: DownstreamFrame): Promise<void> {
		let status: AckStatus;
		try {
			status = await this.options.onEvent(frame);
		} catch {
			status = 'LATER';
		}
		const messageId = frame.headers.messageId ?? '';
		// On a socket that closed meanwhile the acknowledgement is lost; DingTalk pushes the event
		// again on another connection, where the trigger recognises it.
		if (
			this.send(socket, ackFrame(messageId, status, status === 'SUCCESS' ? 'received' : 'retry'))
		) {
			this.stats.acks++;
		}
	}

	private send(socket: StreamSocket, data: string): boolean {
		if (socket.readyState !== OPEN) return false;
		try {
			socket.send(data);
			return true;
		} catch {
			return false;
		}
	}

	private closeSocket(socket: StreamSocket): void {
		try {
			socket.close(1000, 'closing');
		} catch {
			// Already closed.
		}
	}

	/** Waits `ms`, in ticks, returning early when the session closes. */
	private async pause(ms: number): Promise<void> {
		const tick = this.options.tickMs ?? 1000;
		const until = Date.now() + ms;
		while (!this.closed && Date.now() < until) {
			await sleep(Math.min(tick, Math.max(until - Date.now(), 1)));
		}
	}
}
