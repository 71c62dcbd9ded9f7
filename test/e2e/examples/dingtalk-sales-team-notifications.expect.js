// @ts-check
'use strict';

// examples/dingtalk-sales-team-notifications.json: User → Get Many over the Sales subtree (Return
// All), then one personalised work notification per person.
const { nodeRuns, outputJson } = require('../support/execution');

/** @param {any} execution @param {any[]} requests @param {{ emulator: any }} context */
module.exports = (execution, requests, { emulator }) => {
	const subtree = [5, 51, 52, 511];
	const people = emulator.state.dingtalk.users.filter((/** @type {any} */ user) =>
		user.dept_id_list.some((/** @type {number} */ id) => subtree.includes(id)),
	);

	// The walk: one member page per department (none has more than 100 direct members) and one
	// sub-department list per department, breadth-first from Sales.
	const pages = requests.filter((request) => request.path === '/topapi/v2/user/list');
	expect(pages.map((request) => request.body.dept_id)).toEqual(subtree);
	expect(
		requests.filter((request) => request.path === '/topapi/v2/department/listsubid'),
	).toHaveLength(4);

	const found = outputJson(execution, 'Everyone Under Sales');
	expect(found.map((user) => user.userid).sort()).toEqual(
		people.map((/** @type {any} */ user) => user.userid).sort(),
	);

	const sends = requests.filter((request) => request.path.endsWith('/asyncsend_v2'));
	expect(sends).toHaveLength(people.length);
	expect(sends.every((send) => send.response.errcode === 0)).toBe(true);
	for (const person of found) {
		const own = sends.find((send) => send.body.userid_list === person.userid);
		const msg = typeof own.body.msg === 'string' ? JSON.parse(own.body.msg) : own.body.msg;
		expect(msg.text.content).toBe(
			`Hi ${person.name}, the quarterly sales review is on Friday. Your department IDs on record: ${person.dept_id_list.join(', ')}.`,
		);
	}
	expect(
		nodeRuns(execution, 'Send Personal Notification')[0].data.main[0].map(
			(/** @type {{ pairedItem: unknown }} */ item) => item.pairedItem,
		),
	).toEqual(found.map((_, i) => ({ item: i })));
};
