/**
 * Folders as drop targets for dragged message rows. The rows carry
 * `application/x-confrere-messages` = JSON `{mailbox, folder, uids}`; dropping moves them (copies
 * with Ctrl/Alt held, or when the row offered only `copy`) through `POST /api/bal/[mailbox]/organiser`.
 */
import { goto, invalidateAll } from '$app/navigation';
import { page } from '$app/state';
import { folderHref } from '#lib/mail-urls.ts';

export const MESSAGES_MIME = 'application/x-confrere-messages';

interface DraggedMessages {
	mailbox: string;
	folder: string;
	uids: number[];
}

function parseDragged(text: string): DraggedMessages | null {
	try {
		const value = JSON.parse(text) as Partial<DraggedMessages>;
		if (typeof value.mailbox !== 'string' || typeof value.folder !== 'string') return null;
		if (!Array.isArray(value.uids) || !value.uids.every((u) => Number.isSafeInteger(u) && u > 0))
			return null;
		return value as DraggedMessages;
	} catch {
		return null;
	}
}

export function createFolderDrop(
	context: () => { mailboxId: string; currentFolder: string | undefined }
) {
	let over = $state<string | null>(null);
	let status = $state('');
	let isError = $state(false);
	let clearTimer: ReturnType<typeof setTimeout> | undefined;

	const carriesMessages = (event: DragEvent) =>
		event.dataTransfer?.types.includes(MESSAGES_MIME) ?? false;
	const isCopy = (event: DragEvent) =>
		event.ctrlKey || event.altKey || event.dataTransfer?.effectAllowed === 'copy';

	function say(text: string, error = false) {
		status = text;
		isError = error;
		clearTimeout(clearTimer);
		clearTimer = setTimeout(() => (status = ''), 6_000);
	}

	return {
		get over() {
			return over;
		},
		get status() {
			return status;
		},
		get isError() {
			return isError;
		},
		dragOver(event: DragEvent, folder: string) {
			if (!carriesMessages(event)) return;
			event.preventDefault();
			if (event.dataTransfer) event.dataTransfer.dropEffect = isCopy(event) ? 'copy' : 'move';
			over = folder;
		},
		dragLeave(folder: string) {
			if (over === folder) over = null;
		},
		async drop(event: DragEvent, folder: string) {
			if (!carriesMessages(event)) return;
			event.preventDefault();
			over = null;
			const dragged = parseDragged(event.dataTransfer?.getData(MESSAGES_MIME) ?? '');
			const { mailboxId, currentFolder } = context();
			if (!dragged || dragged.mailbox !== mailboxId || dragged.uids.length === 0) {
				say('Ces messages ne peuvent pas être déposés ici.', true);
				return;
			}
			const action = isCopy(event) ? 'copy' : 'move';
			if (action === 'move' && dragged.folder === folder) return;
			let answer: { message?: string };
			let ok = false;
			try {
				const response = await fetch(`/api/bal/${encodeURIComponent(mailboxId)}/organiser`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ action, from: dragged.folder, to: folder, uids: dragged.uids })
				});
				ok = response.ok;
				answer = (await response.json().catch(() => ({}))) as { message?: string };
			} catch {
				answer = { message: 'Le serveur ne répond pas. Réessayez dans quelques secondes.' };
			}
			if (!ok) {
				say(answer.message ?? 'Le déplacement a échoué.', true);
				return;
			}
			say(answer.message ?? (action === 'move' ? 'Messages déplacés.' : 'Messages copiés.'));
			// The open message has left this folder: back to the list.
			const openUid = Number(page.params.uid);
			if (action === 'move' && currentFolder === dragged.folder && dragged.uids.includes(openUid)) {
				await goto(folderHref(mailboxId, dragged.folder), { invalidateAll: true });
				return;
			}
			await invalidateAll();
		}
	};
}
