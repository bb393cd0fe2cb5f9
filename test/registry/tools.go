//go:build tools

// The programs test/registry/build.sh builds, pinned by this module's go.mod and go.sum: the reference OCI
// registry (distribution's cmd/registry) and crane, to push and pull the image `npm run image` writes.
package tools

import (
	_ "github.com/distribution/distribution/v3/cmd/registry"
	_ "github.com/google/go-containerregistry/cmd/crane"
)
