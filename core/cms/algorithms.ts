// RFC 4055 / RFC 5758 AlgorithmIdentifiers for the signature schemes Sealdesk signs with.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { CMS_OID, HASH_LENGTH, hashOid, type RequestHash } from '../asn1/oids.js';
import type { SignatureAlgorithm } from '../model/signer.js';

const RSA_BY_HASH: Record<RequestHash, string> = {
  sha256: CMS_OID.sha256WithRSA,
  sha384: CMS_OID.sha384WithRSA,
  sha512: CMS_OID.sha512WithRSA,
};
const ECDSA_BY_HASH: Record<RequestHash, string> = {
  sha256: CMS_OID.ecdsaWithSha256,
  sha384: CMS_OID.ecdsaWithSha384,
  sha512: CMS_OID.ecdsaWithSha512,
};

export function digestAlgorithm(hash: RequestHash): pkijs.AlgorithmIdentifier {
  return new pkijs.AlgorithmIdentifier({ algorithmId: hashOid(hash) });
}

export function signatureAlgorithm(alg: SignatureAlgorithm): pkijs.AlgorithmIdentifier {
  switch (alg.scheme) {
    case 'rsa-pkcs1':
      return new pkijs.AlgorithmIdentifier({ algorithmId: RSA_BY_HASH[alg.hash], algorithmParams: new asn1js.Null() });
    case 'ecdsa':
      return new pkijs.AlgorithmIdentifier({ algorithmId: ECDSA_BY_HASH[alg.hash] });
    case 'rsa-pss': {
      const params = new pkijs.RSASSAPSSParams({
        hashAlgorithm: digestAlgorithm(alg.hash),
        maskGenAlgorithm: new pkijs.AlgorithmIdentifier({
          algorithmId: CMS_OID.mgf1,
          algorithmParams: digestAlgorithm(alg.hash).toSchema(),
        }),
        saltLength: HASH_LENGTH[alg.hash],
      });
      return new pkijs.AlgorithmIdentifier({ algorithmId: CMS_OID.rsassaPss, algorithmParams: params.toSchema() });
    }
  }
}
