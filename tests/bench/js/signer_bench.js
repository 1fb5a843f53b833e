// signer_bench.js - the JS SDK v3's token rate (@aws-sdk/rds-signer, and
// @aws-sdk/dsql-signer for the "dsql" shape) on the inputs of
// tests/bench/bench.c.
//
//   node signer_bench.js SHAPE TOKEN_BYTES SECONDS
//
// Prints "tokens/s N", or exits 3 when the package is not installed
// (`make bench-deps` installs both into build/bench/js; NODE_PATH points
// there). Presigning is local: nothing leaves the machine.
'use strict';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

// bench.c's make_session_token(): xorshift32, fixed seed.
function sessionToken(n) {
  let x = 2463534242 >>> 0;
  let out = '';
  for (let i = 0; i < n; i++) {
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    out += B64[x & 63];
  }
  return out;
}

function load(name) {
  try {
    return require(name);
  } catch (e) {
    process.exit(3);
  }
}

// process.cpuUsage(): user + system microseconds, as bench.c uses CPU time.
function cpuSeconds() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

async function main() {
  const [shape, nbytes, seconds] =
      [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
  const credentials = {
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  };
  if (nbytes > 0) credentials.sessionToken = sessionToken(nbytes);
  let one;
  if (shape === 'dsql') {
    const {DsqlSigner} = load('@aws-sdk/dsql-signer');
    const s = new DsqlSigner({
      hostname: 'abcdefghijklmnopqrst.dsql.us-east-1.on.aws',
      region: 'us-east-1', credentials});
    one = () => s.getDbConnectAuthToken();
  } else {
    const {Signer} = load('@aws-sdk/rds-signer');
    const s = new Signer({
      hostname: 'mydb.cluster-c9akciq32example.us-east-1.rds.amazonaws.com',
      port: 5432, username: 'app_user', region: 'us-east-1', credentials});
    one = () => s.getAuthToken();
  }
  await one();
  let n = 0;
  const start = cpuSeconds();
  for (;;) {
    for (let i = 0; i < 200; i++) await one();
    n += 200;
    const el = cpuSeconds() - start;
    if (el >= seconds) {
      console.log(`tokens/s ${(n / el).toFixed(0)}`);
      return;
    }
  }
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
