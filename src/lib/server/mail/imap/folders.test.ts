import { expect, test } from 'vitest';
import type { FolderInfo } from '../../../mail-types.ts';
import { sortFolders } from './folders.ts';

const folder = (path: string, specialUse: FolderInfo['specialUse'] = null): FolderInfo => ({
	path,
	name: path,
	delimiter: '/',
	specialUse,
	depth: 0,
	messages: 0,
	unseen: 0,
	selectable: true
});

test('special folders come first in a fixed order, then the others in French order', () => {
	const sorted = sortFolders([
		folder('Zèbre'),
		folder('Trash', 'trash'),
		folder('Écho'),
		folder('Sent', 'sent'),
		folder('INBOX', 'inbox'),
		folder('Drafts', 'drafts'),
		folder('Archive', 'archive')
	]);
	expect(sorted.map((f) => f.path)).toEqual([
		'INBOX',
		'Drafts',
		'Sent',
		'Archive',
		'Trash',
		'Écho',
		'Zèbre'
	]);
});
