/**
 * Gmail-like keyboard shortcuts of the mail pages. Pure: which key means what, and whether the
 * key press belongs to a text field (then it is never a shortcut). The list component acts on them.
 */

export type ShortcutAction =
	| 'next'
	| 'previous'
	| 'open'
	| 'back'
	| 'reply'
	| 'replyAll'
	| 'forward'
	| 'compose'
	| 'archive'
	| 'delete'
	| 'flag'
	| 'select'
	| 'search'
	| 'help';

export interface Shortcut {
	keys: string[];
	action: ShortcutAction;
	label: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
	{ keys: ['j'], action: 'next', label: 'Message suivant' },
	{ keys: ['k'], action: 'previous', label: 'Message précédent' },
	{ keys: ['o', 'Enter'], action: 'open', label: 'Ouvrir le message' },
	{ keys: ['u'], action: 'back', label: 'Revenir à la liste' },
	{ keys: ['r'], action: 'reply', label: 'Répondre' },
	{ keys: ['a'], action: 'replyAll', label: 'Répondre à tous' },
	{ keys: ['f'], action: 'forward', label: 'Transférer' },
	{ keys: ['c'], action: 'compose', label: 'Nouveau message' },
	{ keys: ['e'], action: 'archive', label: 'Archiver' },
	{ keys: ['#'], action: 'delete', label: 'Supprimer (corbeille)' },
	{ keys: ['s'], action: 'flag', label: 'Suivre / ne plus suivre' },
	{ keys: ['x'], action: 'select', label: 'Sélectionner le message' },
	{ keys: ['/'], action: 'search', label: 'Rechercher' },
	{ keys: ['?'], action: 'help', label: 'Afficher cette aide' }
];

/** True when the key press is typed into something (field, editor, select, dialog's form…). */
export function isTypingTarget(target: EventTarget | null): boolean {
	if (!target || typeof target !== 'object' || !('tagName' in target)) return false;
	const element = target as { tagName: string; isContentEditable?: boolean; type?: string };
	const tag = element.tagName.toUpperCase();
	if (element.isContentEditable) return true;
	if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
	if (tag === 'INPUT') {
		const type = (element.type ?? 'text').toLowerCase();
		return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(type);
	}
	return false;
}

/** The shortcut of a key press, or null (modifiers other than Shift never make a shortcut). */
export function shortcutFor(event: {
	key: string;
	ctrlKey?: boolean;
	metaKey?: boolean;
	altKey?: boolean;
	target?: EventTarget | null;
}): ShortcutAction | null {
	if (event.ctrlKey || event.metaKey || event.altKey) return null;
	if (isTypingTarget(event.target ?? null)) return null;
	return SHORTCUTS.find((s) => s.keys.includes(event.key))?.action ?? null;
}
