// Command coredns is a custom CoreDNS build for the local test cluster's DNS, built by
// scripts/build-coredns.sh. It answers only the cluster's own zone (kubernetes plugin) and never
// forwards upstream, since the machine has no outside network: no forward/grpc, no cloud (route53,
// azure, clouddns) or etcd backends. The rest is what a cluster DNS Corefile uses: bind (listen on
// one address), ready, health, errors, log, loadbalance, cache.
package main

import (
	"github.com/coredns/coredns/core/dnsserver"
	"github.com/coredns/coredns/coremain"

	_ "github.com/coredns/coredns/plugin/bind"
	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/loadbalance"
	_ "github.com/coredns/coredns/plugin/log"
	_ "github.com/coredns/coredns/plugin/ready"
)

// In the order of CoreDNS v1.15.0's core/dnsserver/zdirectives.go (execution order).
var directives = []string{
	"bind",
	"ready",
	"health",
	"errors",
	"log",
	"loadbalance",
	"cache",
	"kubernetes",
}

func init() {
	if err := dnsserver.SetDirectives(directives); err != nil {
		panic(err)
	}
}

func main() {
	coremain.Run()
}
