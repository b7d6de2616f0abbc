/**
 * A tiny OCSP responder (RFC 6960) on loopback for the revocation tests, and server
 * certificates that name it in their Authority Information Access. pkijs builds and signs the
 * BasicOCSPResponse with the issuing CA's key, as IGC-Santé's responders do. Test-only.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as asn1js from 'asn1js';
import forge from 'node-forge';
import * as pkijs from 'pkijs';
import { certificateToPem, generateRsaKeyPair, randomSerial } from './test-pki-x509.ts';
import type { RunningServer, ServerIdentity } from './test-trust-fixtures.ts';
import { parseCertificate, pemBlocks } from './x509.ts';

export interface OcspResponder extends RunningServer {
	url: string;
	/** Serial numbers (hex) answered as revoked. */
	revoked: Set<string>;
	/** 'ok', 'down' (HTTP 503) or 'forged' (signed by a key that is not the issuer's). */
	mode: 'ok' | 'down' | 'forged';
	hits(): number;
}

async function signingKey(keyPem: string): Promise<CryptoKey> {
	const der = pemBlocks(keyPem, 'PRIVATE KEY')[0];
	if (!der) throw new Error('PKCS#8 key expected');
	return globalThis.crypto.subtle.importKey(
		'pkcs8',
		new Uint8Array(der),
		{ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
		false,
		['sign']
	);
}

export async function startOcspResponder(issuer: {
	certPem: string;
	keyPem: string;
}): Promise<OcspResponder> {
	const issuerCert = parseCertificate(issuer.certPem).cert;
	const issuerKey = await signingKey(issuer.keyPem);
	const forgerKey = await signingKey(generateRsaKeyPair().privateKeyPem);
	let hits = 0;
	const responder: Omit<OcspResponder, 'port' | 'url' | 'close'> = {
		revoked: new Set(),
		mode: 'ok',
		hits: () => hits
	};

	async function answer(body: Uint8Array): Promise<Uint8Array> {
		const request = pkijs.OCSPRequest.fromBER(new Uint8Array(body));
		const basic = new pkijs.BasicOCSPResponse();
		basic.tbsResponseData.responderID = issuerCert.subject;
		basic.tbsResponseData.producedAt = new Date();
		for (const { reqCert } of request.tbsRequest.requestList) {
			const serial = Buffer.from(reqCert.serialNumber.valueBlock.valueHexView)
				.toString('hex')
				.replace(/^(00)+(?=.)/, '');
			const single = new pkijs.SingleResponse({ certID: reqCert });
			single.certStatus = responder.revoked.has(serial)
				? new asn1js.Constructed({
						idBlock: { tagClass: 3, tagNumber: 1 },
						value: [new asn1js.GeneralizedTime({ valueDate: new Date(Date.now() - 3600_000) })]
					})
				: new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 } });
			single.thisUpdate = new Date(Date.now() - 60_000);
			single.nextUpdate = new Date(Date.now() + 3600_000);
			basic.tbsResponseData.responses.push(single);
		}
		basic.certs = [issuerCert];
		await basic.sign(responder.mode === 'forged' ? forgerKey : issuerKey, 'SHA-256');
		const response = new pkijs.OCSPResponse();
		response.responseStatus.valueBlock.valueDec = 0;
		response.responseBytes = new pkijs.ResponseBytes({
			responseType: '1.3.6.1.5.5.7.48.1.1',
			response: new asn1js.OctetString({ valueHex: basic.toSchema().toBER(false) })
		});
		return new Uint8Array(response.toSchema().toBER(false));
	}

	const server = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (c: Buffer) => chunks.push(c));
		request.on('end', () => {
			hits++;
			if (responder.mode === 'down') {
				response.writeHead(503).end();
				return;
			}
			answer(Buffer.concat(chunks)).then(
				(der) => response.writeHead(200, { 'content-type': 'application/ocsp-response' }).end(der),
				() => response.writeHead(400).end()
			);
		});
	});
	await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
	const port = (server.address() as AddressInfo).port;
	return Object.assign(responder, {
		port,
		url: `http://127.0.0.1:${port}/ocsp`,
		close: () => {
			server.closeAllConnections();
			return new Promise<void>((resolve) => server.close(() => resolve()));
		}
	});
}

/** A server certificate naming an OCSP responder (AIA) and a CRL (CDP), signed by `issuer`. */
export function serverWithOcsp(options: {
	issuer: { certPem: string; keyPem: string };
	cn: string;
	ocspUrl: string;
	crlUrl: string;
}): ServerIdentity & { serialNumber: string } {
	const keys = generateRsaKeyPair();
	const issuerCert = forge.pki.certificateFromPem(options.issuer.certPem);
	const cert = forge.pki.createCertificate();
	cert.publicKey = keys.publicKey;
	cert.serialNumber = randomSerial();
	cert.validity.notBefore = new Date(Date.now() - 86_400_000);
	cert.validity.notAfter = new Date(Date.now() + 365 * 86_400_000);
	cert.setSubject([{ shortName: 'CN', value: options.cn }]);
	cert.setIssuer(issuerCert.subject.attributes);
	const { asn1 } = forge;
	const uri = (url: string): forge.asn1.Asn1 =>
		asn1.create(asn1.Class.CONTEXT_SPECIFIC, 6, false, url);
	// AuthorityInfoAccessSyntax ::= SEQUENCE OF AccessDescription (RFC 5280 §4.2.2.1)
	const aia = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
		asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
			asn1.create(
				asn1.Class.UNIVERSAL,
				asn1.Type.OID,
				false,
				asn1.oidToDer('1.3.6.1.5.5.7.48.1').getBytes()
			),
			uri(options.ocspUrl)
		])
	]);
	cert.setExtensions([
		{ name: 'basicConstraints', cA: false, critical: true },
		{ name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
		{ name: 'extKeyUsage', serverAuth: true },
		{
			name: 'subjectAltName',
			altNames: [
				{ type: 2, value: 'localhost' },
				{ type: 7, ip: '127.0.0.1' }
			]
		},
		{ name: 'cRLDistributionPoints', altNames: [{ type: 6, value: options.crlUrl }] },
		{ id: '1.3.6.1.5.5.7.1.1', critical: false, value: asn1.toDer(aia).getBytes() }
	]);
	cert.sign(forge.pki.privateKeyFromPem(options.issuer.keyPem), forge.md.sha256.create());
	const certPem = certificateToPem(cert);
	return {
		certPem,
		keyPem: keys.privateKeyPem,
		fullChainPem: certPem + options.issuer.certPem,
		serialNumber: cert.serialNumber
	};
}
