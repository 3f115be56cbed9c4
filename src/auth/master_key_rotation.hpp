#pragma once
// Rotating the master key (`uitweg keys rotate` / `uitweg keys retire`): re-sealing under the
// current master key everything an older one sealed, that is every conversation's data key and
// every staff TOTP secret, while servers keep running on the same database. Only the wrapping
// changes: data keys, and so every sealed body, stay as they are.
//
// Each value is replaced only if it is still the one read (SealedSecretStore), so a
// conversation shredded or a second factor reset at the same moment is left as it now is.
//
// Blocking; call from the command line or a worker. Errors: the store's.

#include <cstdint>

#include "core/error.hpp"
#include "crypto/master_key.hpp"
#include "store/sealed_secret_store.hpp"

namespace uitweg::auth {

struct ResealReport {
  std::int64_t conversation_keys = 0;  // re-sealed under the current key
  std::int64_t totp_secrets = 0;       // re-sealed under the current key
  std::int64_t current = 0;            // already under the current key
  std::int64_t changed_meanwhile = 0;  // replaced by someone else between read and write
  std::int64_t unopenable = 0;         // no key held opens them (altered, or sealed elsewhere)
};

// One pass over everything sealed: what an older key sealed is re-sealed under the current key.
core::Result<ResealReport> ResealUnderCurrentKey(store::SealedSecretStore& store,
                                                 const crypto::MasterKeys& keys);

// How many sealed values only an older key opens (none after a quiet ResealUnderCurrentKey):
// while any are left, the older keys must stay.
core::Result<std::int64_t> CountSealedByOlderKeys(store::SealedSecretStore& store,
                                                  const crypto::MasterKeys& keys);

}  // namespace uitweg::auth
