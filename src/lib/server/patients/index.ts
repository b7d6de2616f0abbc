/** The app's patient store over `confrere.sqlite`, sealed with the server secret. */
import { getConfig } from '../config.ts';
import { openAppDb } from '../db/app-db.ts';
import { PatientStore } from './store.ts';

let instance: PatientStore | undefined;

export function getPatientStore(): PatientStore {
	if (instance) return instance;
	const config = getConfig();
	instance = new PatientStore({ db: openAppDb(config.dataDir), secret: config.sessionSecret });
	return instance;
}

export type { SentDocument, StoredPatient, SaveResult } from './store.ts';
