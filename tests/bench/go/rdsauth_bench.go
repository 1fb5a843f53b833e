// rdsauth_bench: the Go SDK v2's feature/rds/auth token rate on the inputs
// of tests/bench/bench.c.
//
//	rdsauth_bench SHAPE TOKEN_BYTES SECONDS
//
// Prints "tokens/s N". Built by tests/bench.mk against Debian's
// golang-github-aws-aws-sdk-go-v2-dev (GOPATH mode); that version has no
// DSQL signer, so the "dsql" shape exits 3. Presigning is local.
package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"syscall"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/feature/rds/auth"
)

const b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

// sessionToken is bench.c's make_session_token(): xorshift32, fixed seed.
func sessionToken(n int) string {
	x := uint32(2463534242)
	out := make([]byte, n)
	for i := range out {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		out[i] = b64[x&63]
	}
	return string(out)
}

// cpuSeconds is the process's user+system time, as bench.c uses CPU time.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
}

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: rdsauth_bench SHAPE TOKEN_BYTES SECONDS")
		os.Exit(2)
	}
	if os.Args[1] == "dsql" {
		os.Exit(3)
	}
	nbytes, _ := strconv.Atoi(os.Args[2])
	seconds, _ := strconv.ParseFloat(os.Args[3], 64)
	tok := ""
	if nbytes > 0 {
		tok = sessionToken(nbytes)
	}
	creds := credentials.NewStaticCredentialsProvider("AKIAIOSFODNN7EXAMPLE",
		"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", tok)
	endpoint := "mydb.cluster-c9akciq32example.us-east-1.rds.amazonaws.com:5432"
	ctx := context.Background()
	one := func() {
		if _, err := auth.BuildAuthToken(ctx, endpoint, "us-east-1", "app_user", creds); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	one()
	n, start := 0, cpuSeconds()
	for {
		for i := 0; i < 200; i++ {
			one()
		}
		n += 200
		if el := cpuSeconds() - start; el >= seconds {
			fmt.Printf("tokens/s %.0f\n", float64(n)/el)
			return
		}
	}
}
