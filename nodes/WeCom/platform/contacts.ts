/**
 * The WeCom contacts (通讯录) APIs the nodes call. Reads work with the app's own Secret for the
 * members, departments and tags in the app's Visible Range; `user/list_id` also takes the
 * contacts-sync Secret. https://developer.work.weixin.qq.com/document/path/90193
 */
export const CONTACTS_PATHS = {
	departmentList: '/cgi-bin/department/list',
	departmentSimpleList: '/cgi-bin/department/simplelist',
	departmentGet: '/cgi-bin/department/get',
	userGet: '/cgi-bin/user/get',
	userList: '/cgi-bin/user/list',
	userSimpleList: '/cgi-bin/user/simplelist',
	userListIds: '/cgi-bin/user/list_id',
	userByMobile: '/cgi-bin/user/getuserid',
	userByEmail: '/cgi-bin/user/get_userid_by_email',
	tagList: '/cgi-bin/tag/list',
	tagGet: '/cgi-bin/tag/get',
} as const;

const CONTACTS = new Set<string>(Object.values(CONTACTS_PATHS));

export const isContactsPath = (path: string): boolean => CONTACTS.has(path);

/**
 * Since 2022-06-20 apps created after that date no longer get these member fields from user/get
 * and user/list (members share them through OAuth consent instead), and names of members and
 * departments need the contacts display component. https://developer.work.weixin.qq.com/document/path/96255
 */
export const HIDDEN_SINCE_2022 =
	'WeCom leaves out names, mobile numbers, e-mails and avatars for apps created after 2022-06-20 (https://developer.work.weixin.qq.com/document/path/96255): IDs still work for sending; an app created earlier, or the contacts-sync Secret from an already allowed IP, still gets them.';

export const CONTACTS_PERMISSION_HINTS: Record<string, string> = {
	'48002':
		"This Secret may not call this contacts API. Use the app's own Secret with the app's Visible Range (可见范围) covering the members, or for Get IDs the contacts-sync Secret (admin console → Security and Management → Management Tools → Contacts Sync, 通讯录同步).",
	'48009':
		"The contacts-sync Secret may no longer read member details from a new IP (WeCom rule since 2022-08-15). Use the app's own Secret for these reads, or Get IDs and Department Get Many with 'IDs Only', which still work.",
	'60011':
		'The app may not read this member, department or tag. In the WeCom admin console open App Management → the app → Visible Range (可见范围) and include them.',
};
