/**
 * Finding health-document attachments in a received message (ECO.2.1.2, ECO.3.1.x). Typed
 * structurally so it works on mail/mime's ParsedMessage without importing it.
 */
import { isPatientAddress } from './patient.ts';

export interface AttachmentLike {
	filename: string | null | undefined;
	contentType: string;
	content: Uint8Array;
}

/** `IHE_XDM.ZIP` in any letter case (ANS examples use `IHE_XDM.zip`, Mediboard `IHE_XDM.ZIP`). */
export function isXdmAttachmentName(filename: string | null | undefined): boolean {
	return /^IHE_XDM\.ZIP$/i.test((filename ?? '').trim());
}

export function findXdmAttachments<T extends AttachmentLike>(message: { attachments: T[] }): T[] {
	return message.attachments.filter((a) => isXdmAttachmentName(a.filename));
}

/** True when the message comes from a patient's Mon Espace Santé address (ECO.3.1.1). */
export function isFromPatient(message: { from: { address: string } | null | undefined }): boolean {
	return !!message.from && isPatientAddress(message.from.address);
}
