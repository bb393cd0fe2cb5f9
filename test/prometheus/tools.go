//go:build tools

// The upstream programs the simulate tests run: a real Prometheus and its promtool.
package tools

import (
	_ "github.com/prometheus/prometheus/cmd/prometheus"
	_ "github.com/prometheus/prometheus/cmd/promtool"
)
