using System.CommandLine;
using System.Runtime.InteropServices;
using Trellis.Cli.Network;

namespace Trellis.Cli;

/// <summary>
/// <c>trellis up</c>: create (or resume) a consortium network in a directory and run each of its nodes as its own
/// process; in the foreground with a live table until Ctrl-C, or detached.
/// </summary>
internal static class UpCommand
{
    public static Command Build(CommandContext context)
    {
        var orgsOption = new Option<int?>("--orgs") { Description = "Member organisations of a new network, each with its own CA (default 4; solo has one)." };
        var nodesOption = new Option<int?>("--nodes-per-org") { Description = "Validators per organisation of a new network (default 1)." };
        var consensusOption = new Option<string?>("--consensus") { Description = "Consensus of a new network: hotstuff (BFT, default), raft (crash fault tolerant) or solo (one node, development)." };
        consensusOption.AcceptOnlyFromAmong("hotstuff", "raft", "solo");
        var cryptoOption = new Option<string?>("--crypto", "--suite") { Description = "Crypto suite of a new network: standard (secp256k1, Keccak-256; Ethereum compatible, default) or national (SM2, SM3, SM4)." };
        cryptoOption.AcceptOnlyFromAmong("standard", "national");
        var dirOption = new Option<DirectoryInfo>("--dir", "-d")
        {
            Description = "Directory of the network: created if missing or empty, resumed if it holds one (default ./trellis-net).",
            DefaultValueFactory = _ => new DirectoryInfo("trellis-net"),
        };
        var portOption = new Option<int?>("--base-port", "--port", "-p") { Description = "Node i serves JSON-RPC at this port + i and listens for peers at this port + 1000 + i (default 8545)." };
        var chainIdOption = new Option<ulong?>("--chain-id") { Description = "Chain id of a new network (default 1337)." };
        var intervalOption = new Option<int?>("--block-interval") { Description = "Least milliseconds between two blocks of a new network (default 200)." };
        var gasLimitOption = new Option<ulong?>("--block-gas-limit") { Description = "Gas limit of every block of a new network (default 100000000)." };
        var detachOption = new Option<bool>("--detach") { Description = "Return once every node answers JSON-RPC and leave them running ('trellis down' stops them)." };
        var timeoutOption = new Option<int>("--timeout")
        {
            Description = "Seconds to wait for every node to answer JSON-RPC (default 60).",
            DefaultValueFactory = _ => 60,
        };

        var up = new Command("up", "Create a consortium network in a directory (or resume the one there) and run its nodes: in the foreground with a live table until Ctrl-C, or with --detach in the background.")
        {
            orgsOption, nodesOption, consensusOption, cryptoOption, dirOption, portOption, chainIdOption, intervalOption, gasLimitOption, detachOption, timeoutOption,
        };

        // Synchronous on purpose: System.CommandLine ends an asynchronous action's process two seconds after Ctrl-C,
        // too soon to stop several nodes cleanly. up handles SIGINT, SIGTERM and SIGHUP itself.
        up.SetAction(parse => CryptoCommands.Guard(context, () =>
        {
            int timeout = parse.GetValue(timeoutOption);
            if (timeout is < 1 or > 3600)
            {
                throw new CliException($"--timeout must be from 1 to 3600 seconds, got {timeout}");
            }

            var request = new UpRequest
            {
                Directory = parse.GetValue(dirOption)!.FullName,
                Orgs = parse.GetValue(orgsOption),
                NodesPerOrg = parse.GetValue(nodesOption),
                Consensus = parse.GetValue(consensusOption),
                Crypto = parse.GetValue(cryptoOption),
                BasePort = parse.GetValue(portOption),
                ChainId = parse.GetValue(chainIdOption),
                BlockIntervalMs = parse.GetValue(intervalOption),
                BlockGasLimit = parse.GetValue(gasLimitOption),
                Detach = parse.GetValue(detachOption),
                StartTimeout = TimeSpan.FromSeconds(timeout),
            };
            bool interactive = ReferenceEquals(context.Output, Console.Out) && !Console.IsOutputRedirected;
            using var stop = new CancellationTokenSource();
            using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
            using PosixSignalRegistration terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
            using PosixSignalRegistration hangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal);
            return NetworkRunner.UpAsync(context, request, interactive, stop.Token).GetAwaiter().GetResult();

            void OnSignal(PosixSignalContext signal)
            {
                signal.Cancel = true;
                stop.Cancel();
            }
        }));
        return up;
    }
}
