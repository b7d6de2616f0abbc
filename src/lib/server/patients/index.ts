/** The app's patient store over `confrere.sqlite`, sealed with the server secret. */
import { getConfig } from '../config.ts';
import { openAppDb } from '../db/app-db.ts';
import { rootLogger } from '../log.ts';
import { PatientStore } from './store.ts';

let instance: PatientStore | undefined;

export function getPatientStore(): PatientStore {
	if (instance) return instance;
	const config = getConfig();
	instance = new PatientStore({
		db: openAppDb(config.dataDir),
		secret: config.sessionSecret,
		onUnreadable: (table) =>
			rootLogger.warn({ table }, 'sealed row unreadable with the current server secret: skipped')
	});
	return instance;
}

export type { SentDocument, StoredPatient, SaveResult } from './store.ts';
