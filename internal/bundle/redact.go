package bundle

import "github.com/ks-doctor/ks-doctor/internal/scrub"

// Redacted replaces every value the scrubber removes.
const Redacted = scrub.Redacted

// Redaction happens at the source: the caller builds files from plain facts,
// which hold no token or key. The scrubber is the second line: whatever
// slipped through (a service echoing a header into an error message, a
// token pasted into a worker's status) is replaced before anything is
// hashed or written. It is the run's own scrubber (Options.Scrub, fed with
// the session's secrets), the same one that masks stdout and stderr: what
// it masks is internal/scrub's, the same for every output of ks-doctor.
