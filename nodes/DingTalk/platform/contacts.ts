/**
 * The DingTalk contacts (通讯录) APIs the nodes call, with the permission each one needs, so a
 * refusal can name the permission to apply for. Old API, POST with a JSON body, answers
 * `{errcode, errmsg, result}`; e.g. https://open.dingtalk.com/document/development/queries-the-complete-information-of-a-department-user
 */
export const CONTACTS_PATHS = {
	departmentGet: '/topapi/v2/department/get',
	departmentListSub: '/topapi/v2/department/listsub',
	departmentListSubIds: '/topapi/v2/department/listsubid',
	departmentParentsOfDepartment: '/topapi/v2/department/listparentbydept',
	departmentParentsOfUser: '/topapi/v2/department/listparentbyuser',
	userGet: '/topapi/v2/user/get',
	userList: '/topapi/v2/user/list',
	userListIds: '/topapi/user/listid',
	userByMobile: '/topapi/v2/user/getbymobile',
	userByUnionId: '/topapi/user/getbyunionid',
	userCount: '/topapi/user/count',
	userSearch: '/v1.0/contact/users/search',
	authScopes: '/auth/scopes',
} as const;

const DEPARTMENTS = 'Read department information (通讯录部门信息读权限, qyapi_get_department_list)';
const MEMBERS_OF_DEPARTMENT =
	'Read department members (通讯录部门成员读权限, qyapi_get_department_member)';
const MEMBER = 'Read member information (成员信息读权限, qyapi_get_member)';
const BY_MOBILE =
	'Get members by mobile number (根据手机号获取成员基本信息权限, qyapi_get_member_by_mobile)';

/** Permission per contacts path, as each API's doc page lists it (权限要求). */
export const CONTACTS_PERMISSIONS: Record<string, string> = {
	[CONTACTS_PATHS.departmentGet]: DEPARTMENTS,
	[CONTACTS_PATHS.departmentListSub]: DEPARTMENTS,
	[CONTACTS_PATHS.departmentListSubIds]: DEPARTMENTS,
	[CONTACTS_PATHS.departmentParentsOfDepartment]: DEPARTMENTS,
	[CONTACTS_PATHS.departmentParentsOfUser]: DEPARTMENTS,
	[CONTACTS_PATHS.userGet]: MEMBER,
	[CONTACTS_PATHS.userList]: MEMBERS_OF_DEPARTMENT,
	[CONTACTS_PATHS.userListIds]: MEMBER,
	[CONTACTS_PATHS.userByMobile]: BY_MOBILE,
	[CONTACTS_PATHS.userByUnionId]: MEMBER,
	[CONTACTS_PATHS.userCount]: MEMBER,
	[CONTACTS_PATHS.userSearch]: MEMBER,
};

/** Where to apply for a permission and where the app's contacts range is set. */
export const PERMISSION_PAGE =
	'the DingTalk Developer Console → the app → Permission Management (权限管理)';
export const CONTACTS_RANGE_PAGE =
	'the DingTalk Developer Console → the app → Permission Management (权限管理) → permission range (权限范围), set to the departments the app may read';
