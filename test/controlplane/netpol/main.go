// Command kube-network-policies is the local cluster's NetworkPolicy enforcer: the controller of
// sigs.k8s.io/kube-network-policies run as a host process of the real node, built by
// scripts/build-netpol.sh. The upstream command only reads the in-cluster service-account config; the
// node's other host processes (kube-proxy, CoreDNS) are given a kubeconfig file instead, so this one
// is too. Only NetworkPolicy is watched (no AdminNetworkPolicy CRDs on this cluster).
//
// NRI stays configured although the node's containerd (1.6) does not serve it: pod IPs come from the API
// either way, and the plugin's connection attempt fails once and is logged. v0.8.0 falls back to the NRI
// plugin's address map whenever the API's pod cache has no pod for an address, and with NRI disabled that
// plugin is nil: the first packet from an address no pod holds (a pod whose IP the API has not reported
// yet) crashes the controller, and --fail-open then lets every connection through. With the plugin
// present its empty map answers "no pod", and the packet is judged as coming from outside the cluster.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/klog/v2"
	"sigs.k8s.io/kube-network-policies/pkg/networkpolicy"
)

func main() {
	kubeconfig := flag.String("kubeconfig", "", "kubeconfig file of the cluster (required)")
	nodeName := flag.String("hostname-override", "", "name of the Node this process enforces policies for (required)")
	queueID := flag.Int("nfqueue-id", 100, "netfilter queue the node's packets are sent to")
	failOpen := flag.Bool("fail-open", false, "accept packets that cannot be evaluated instead of dropping them")
	klog.InitFlags(nil)
	flag.Parse()
	if *kubeconfig == "" || *nodeName == "" {
		fmt.Fprintln(os.Stderr, "kube-network-policies: --kubeconfig and --hostname-override are required")
		os.Exit(2)
	}
	if err := run(*kubeconfig, *nodeName, *queueID, *failOpen); err != nil {
		fmt.Fprintf(os.Stderr, "kube-network-policies: %v\n", err)
		os.Exit(1)
	}
}

func run(kubeconfig, nodeName string, queueID int, failOpen bool) error {
	cfg, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	if err != nil {
		return fmt.Errorf("loading %s: %w", kubeconfig, err)
	}
	client, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	factory := informers.NewSharedInformerFactory(client, 0)
	controller, err := networkpolicy.NewController(
		client,
		factory.Networking().V1().NetworkPolicies(),
		factory.Core().V1().Namespaces(),
		factory.Core().V1().Pods(),
		nil, nil, nil, nil,
		networkpolicy.Config{
			FailOpen:    failOpen,
			QueueID:     queueID,
			NodeName:    nodeName,
			NRIdisabled: false,
		},
	)
	if err != nil {
		return err
	}
	factory.Start(ctx.Done())
	// Run returns when ctx ends (after removing its nftables table) or when the queue cannot be opened.
	return controller.Run(ctx)
}
