/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The SGX extension of PCK certificates (Intel "SGX PCK Certificate and
 * Certificate Revocation List Profile Specification" §1.3.5):
 *
 *   SGXExtensions ::= SEQUENCE OF SEQUENCE { sgxExtensionId OID, value }
 *     1.2.840.113741.1.13.1.1  PPID            OCTET STRING (16)
 *     1.2.840.113741.1.13.1.2  TCB             SEQUENCE OF SEQUENCE {
 *                                  .2.1 .. .2.16  SGX TCB comp SVN INTEGER
 *                                  .2.17          PCESVN INTEGER
 *                                  .2.18          CPUSVN OCTET STRING (16) }
 *     1.2.840.113741.1.13.1.3  PCE-ID          OCTET STRING (2)
 *     1.2.840.113741.1.13.1.4  FMSPC           OCTET STRING (6)
 *     1.2.840.113741.1.13.1.5  SGX Type        ENUMERATED
 *     1.2.840.113741.1.13.1.6  PlatformInstanceID OCTET STRING (16), optional
 *     1.2.840.113741.1.13.1.7  Configuration   SEQUENCE, optional
 *
 * Read with the bounds-checked DER reader; every member once, each of its
 * exact size, nothing unknown.
 */
#include <string.h>

#include <openssl/x509.h>

#include "bs/bs.h"
#include "platform/dcap.h"

/* 1.2.840.113741.1.13.1, DER contents of the OID. */
static const uint8_t sgx_oid[] = {
	0x2a, 0x86, 0x48, 0x86, 0xf8, 0x4d, 0x01, 0x0d, 0x01,
};
#define SGX_OID_LEN	sizeof(sgx_oid)

/* The arc after |prefix| (prefix || arc) when it is one byte, else -1. */
static int
sub_arc(const struct cbs *oid, const uint8_t *prefix, size_t plen)
{
	if (cbs_len(oid) != plen + 1 ||
	    memcmp(cbs_data(oid), prefix, plen) != 0 ||
	    (cbs_data(oid)[plen] & 0x80) != 0) {
		return -1;
	}
	return cbs_data(oid)[plen];
}

/* An OCTET STRING of exactly |n| bytes into |out|. */
static bool
octets(struct cbs *c, uint8_t *out, size_t n)
{
	struct cbs v;

	return cbs_get_asn1(c, &v, CBS_ASN1_OCTETSTRING) && cbs_len(&v) == n &&
	    cbs_copy(&v, out, n);
}

/* A non-negative ENUMERATED in minimal form, at most |max|. */
static bool
enumerated(struct cbs *c, uint64_t max, uint64_t *out)
{
	struct cbs v;
	const uint8_t *p;
	size_t i, n;

	if (!cbs_get_asn1(c, &v, CBS_ASN1_ENUMERATED)) {
		return false;
	}
	p = cbs_data(&v);
	n = cbs_len(&v);
	if (n == 0 || n > 8 || (p[0] & 0x80) != 0 ||
	    (n > 1 && p[0] == 0 && (p[1] & 0x80) == 0)) {
		return false;
	}
	*out = 0;
	for (i = 0; i < n; i++) {
		*out = *out << 8 | p[i];
	}
	return *out <= max;
}

/* The TCB member: 16 component SVNs, PCESVN, CPUSVN, in any order, once. */
static enum vouch_err
tcb_parse(struct vouch_ctx *ctx, struct cbs *seq, struct dcap_pck_ext *out)
{
	uint8_t tcb_oid[SGX_OID_LEN + 1];
	uint32_t seen = 0;
	struct cbs item, oid;
	uint64_t v;
	int arc;

	memcpy(tcb_oid, sgx_oid, SGX_OID_LEN);
	tcb_oid[SGX_OID_LEN] = 0x02;
	while (!cbs_is_empty(seq)) {
		if (!cbs_get_asn1(seq, &item, CBS_ASN1_SEQUENCE) ||
		    !cbs_get_asn1(&item, &oid, CBS_ASN1_OBJECT)) {
			return vouch_fail(ctx, VOUCH_ERR_BAD_CERT,
			    "dcap: PCK SGX extension: malformed TCB member");
		}
		arc = sub_arc(&oid, tcb_oid, sizeof(tcb_oid));
		if (arc < 1 || arc > 18) {
			return vouch_fail(ctx, VOUCH_ERR_BAD_CERT,
			    "dcap: PCK SGX extension: unknown TCB member");
		}
		if ((seen & (1u << arc)) != 0) {
			return vouch_fail(ctx, VOUCH_ERR_BAD_CERT,
			    "dcap: PCK SGX extension: TCB member %d twice", arc);
		}
		seen |= 1u << arc;
		if (arc <= 16) {
			if (!cbs_get_asn1_uint64(&item, &v) || v > 255) {
				return vouch_fail(ctx, VOUCH_ERR_BAD_CERT,
				    "dcap: PCK SGX extension: component SVN %d",
				    arc);
			}
			out->comp_svn[arc - 1] = (uint8_t)v;
		} else if (arc == 17) {
			if (!cbs_get_asn1_uint64(&item, &v) || v > 65535) {
				return vouch_fail(ctx, VOUCH_ERR_BAD_CERT,
				    "dcap: PCK SGX extension: PCESVN");
			}
			out->pcesvn = (uint16_t)v;
		} else if (!octets(&item, out->cpusvn, sizeof(out->cpusvn))) {
			return vouch_fail(ctx, VOUCH_ERR_BAD_CERT,
			    "dcap: PCK SGX extension: CPUSVN is not 16 bytes");
		}
		if (!cbs_is_empty(&item)) {
			return vouch_fail(ctx, VOUCH_ERR_BAD_CERT,
			    "dcap: PCK SGX extension: bytes after TCB member %d",
			    arc);
		}
	}
	if (seen != 0x7fffeu) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_CERT,
		    "dcap: PCK SGX extension: TCB members missing");
	}
	return VOUCH_OK;
}

enum vouch_err
dcap_pck_ext_parse(struct vouch_ctx *ctx, const uint8_t *der, size_t len,
    struct dcap_pck_ext *out)
{
	static const char *const names[] = {
		NULL, "PPID", "TCB", "PCE-ID", "FMSPC", "SGX Type",
		"PlatformInstanceID", "Configuration",
	};
	struct cbs c, seq, item, oid, v;
	uint32_t seen = 0;
	uint64_t type;
	enum vouch_err rv;
	int arc;

	memset(out, 0, sizeof(*out));
	cbs_init(&c, der, len);
	if (!cbs_get_asn1(&c, &seq, CBS_ASN1_SEQUENCE) || !cbs_is_empty(&c)) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_CERT,
		    "dcap: PCK SGX extension is not one DER SEQUENCE");
	}
	while (!cbs_is_empty(&seq)) {
		if (!cbs_get_asn1(&seq, &item, CBS_ASN1_SEQUENCE) ||
		    !cbs_get_asn1(&item, &oid, CBS_ASN1_OBJECT)) {
			return vouch_fail(ctx, VOUCH_ERR_BAD_CERT,
			    "dcap: PCK SGX extension: malformed member");
		}
		arc = sub_arc(&oid, sgx_oid, SGX_OID_LEN);
		if (arc < 1 || arc > 7) {
			return vouch_fail(ctx, VOUCH_ERR_BAD_CERT,
			    "dcap: PCK SGX extension: unknown member");
		}
		if ((seen & (1u << arc)) != 0) {
			return vouch_fail(ctx, VOUCH_ERR_BAD_CERT,
			    "dcap: PCK SGX extension: %s twice", names[arc]);
		}
		seen |= 1u << arc;
		switch (arc) {
		case 1:
			if (!octets(&item, out->ppid, sizeof(out->ppid))) {
				goto bad;
			}
			break;
		case 2:
			if (!cbs_get_asn1(&item, &v, CBS_ASN1_SEQUENCE)) {
				goto bad;
			}
			rv = tcb_parse(ctx, &v, out);
			if (rv != VOUCH_OK) {
				return rv;
			}
			break;
		case 3:
			if (!octets(&item, out->pceid, sizeof(out->pceid))) {
				goto bad;
			}
			break;
		case 4:
			if (!octets(&item, out->fmspc, sizeof(out->fmspc))) {
				goto bad;
			}
			break;
		case 5:
			if (!enumerated(&item, 2, &type)) {
				goto bad;
			}
			out->sgx_type = (int)type;
			break;
		case 6:
			if (!octets(&item, out->platform_instance_id,
			    sizeof(out->platform_instance_id))) {
				goto bad;
			}
			out->has_platform_instance_id = true;
			break;
		default:
			/* Configuration: booleans we do not use; shape only. */
			if (!cbs_get_asn1(&item, &v, CBS_ASN1_SEQUENCE)) {
				goto bad;
			}
			break;
		}
		if (!cbs_is_empty(&item)) {
			goto bad;
		}
		continue;
 bad:
		return vouch_fail(ctx, VOUCH_ERR_BAD_CERT,
		    "dcap: PCK SGX extension: malformed %s", names[arc]);
	}
	if ((seen & 0x3eu) != 0x3eu) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_CERT,
		    "dcap: PCK SGX extension: PPID, TCB, PCE-ID, FMSPC and SGX "
		    "Type are required");
	}
	return VOUCH_OK;
}

enum vouch_err
dcap_pck_ext_from_cert(struct vouch_ctx *ctx, X509 *x,
    struct dcap_pck_ext *out)
{
	ASN1_OBJECT *obj = NULL;
	const ASN1_OCTET_STRING *val;
	X509_EXTENSION *ext;
	int idx, again;
	enum vouch_err rv;

	memset(out, 0, sizeof(*out));
	obj = OBJ_txt2obj("1.2.840.113741.1.13.1", 1);
	if (obj == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_CRYPTO, "dcap: OID");
	}
	idx = X509_get_ext_by_OBJ(x, obj, -1);
	again = idx >= 0 ? X509_get_ext_by_OBJ(x, obj, idx) : -1;
	ASN1_OBJECT_free(obj);
	if (idx < 0) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_CERT,
		    "dcap: the PCK certificate has no SGX extension");
	}
	if (again >= 0) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_CERT,
		    "dcap: the PCK certificate has two SGX extensions");
	}
	ext = X509_get_ext(x, idx);
	val = ext != NULL ? X509_EXTENSION_get_data(ext) : NULL;
	if (val == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_CERT,
		    "dcap: the PCK SGX extension is empty");
	}
	rv = dcap_pck_ext_parse(ctx, ASN1_STRING_get0_data(val),
	    (size_t)ASN1_STRING_length(val), out);
	return rv;
}
