using System.Diagnostics;
using System.Formats.Asn1;
using System.Globalization;
using System.Text.Json;
using Trellis.Consensus;
using Trellis.Consensus.HotStuff;
using Trellis.Consensus.HotStuff.Messages;
using Trellis.Core;
using Trellis.Core.Rlp;
using Trellis.Crypto;
using Trellis.Ledger.Blocks;
using Trellis.Ledger.Execution;
using Trellis.Ledger.Genesis;
using Trellis.Ledger.Pool;
using Trellis.Ledger.Storage;
using Trellis.Ledger.Transactions;
using Trellis.Sdk;
using Trellis.Sdk.Abi;
using Trellis.State;
using Trellis.State.Storage;
using Xunit.Abstractions;
using LedgerNodeConfig = Trellis.Ledger.Genesis.NodeConfig;
using TransactionReceipt = Trellis.Sdk.Rpc.TransactionReceipt;

namespace Trellis.Integration.Tests;

/// <summary>
/// Issue 6: the national suite end to end. <c>trellis up --crypto national</c> runs four organisations' HotStuff
/// validators as real processes; every ledger signature must be SM2 and every ledger hash SM3, which is checked
/// against OpenSSL (the <c>openssl</c> command), not against Trellis's own SM2/SM3. The .NET SDK deploys and uses the
/// ERC-20 from bench/contracts through one node, reads through another, and keeps working with one node stopped;
/// the stopped node restarts and catches up.
/// </summary>
public sealed class NationalSuiteTests(ITestOutputHelper output)
{
    // GB/T 32918 default user id, as OpenSSL needs it spelled out (docs/crypto.md, docs/identity.md).
    private const string DistinguishingId = "distid:1234567812345678";
    private static readonly TimeSpan Receipt = TimeSpan.FromSeconds(30);
    private static readonly Address Bob = Address.Parse("0x2222222222222222222222222222222222222222");
    private static readonly Address Carol = Address.Parse("0x3333333333333333333333333333333333333333");

    [Fact]
    public async Task FourOrganisations_SignWithSm2_HashWithSm3_AndServeTheSdk_WithOneNodeStopped()
    {
        using ConsortiumNetwork network = await ConsortiumNetwork.UpAsync(output, "hotstuff", 4, crypto: "national");
        using var scratch = new ScratchDirectory();
        ICryptoSuite suite = CryptoSuites.National;
        ChainConfig chain = ChainConfig.Load(Path.Combine(network.Directory, "genesis.json"));
        Assert.Equal("national", chain.Suite.Name);
        Assert.Equal("hotstuff", chain.Consensus.Engine);
        Assert.Equal(4, network.Names.Length);

        // Every node answers and is connected to its three peers (HotStuff proposes only when there are
        // transactions, so blocks are checked once the SDK has sent some).
        for (int i = 0; i < 4; i++)
        {
            JsonElement status = await StatusWithPeersAsync(network.Clients[i], 3, TimeSpan.FromSeconds(30));
            Assert.Equal(network.Names[i], status.GetProperty("node").GetString());
            Assert.Equal("hotstuff", status.GetProperty("consensus").GetString());
            Assert.Equal(network.ChainId, RpcClient.ParseQuantity(status.GetProperty("chainId").GetString()!));
            Assert.Contains(status.GetProperty("role").GetString(), new[] { "leader", "validator" });
        }

        await CheckCertificateChainsAsync(network, chain, scratch);

        // The SDK, with a development account's SM2 key, deploys the ERC-20 through node 1 ...
        using JsonDocument accounts = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(network.Directory, "accounts.json")));
        var wallet = Wallet.FromHex(suite, accounts.RootElement[0].GetProperty("privateKey").GetString()!);
        Assert.Equal(accounts.RootElement[0].GetProperty("address").GetString(), wallet.Address.ToString(), StringComparer.OrdinalIgnoreCase);
        string root = RepositoryRoot();
        ContractAbi abi = ContractAbi.Parse(await File.ReadAllTextAsync(Path.Combine(root, "tests", "Trellis.Sdk.Tests", "Erc20.abi.json")));
        byte[] creation = Hex.Decode((await File.ReadAllTextAsync(Path.Combine(root, "bench", "contracts", "Erc20.creation.hex"))).Trim());
        byte[] runtime = Hex.Decode((await File.ReadAllTextAsync(Path.Combine(root, "bench", "contracts", "Erc20.runtime.hex"))).Trim());
        var options = new TrellisClientOptions { ReceiptPollInterval = TimeSpan.FromMilliseconds(50) };
        using var client1 = new TrellisClient(network.Rpc[0], options);
        using var client3 = new TrellisClient(network.Rpc[2], options);
        using var signer1 = new Signer(client1, wallet);
        Assert.Equal(TxType.Native, signer1.TransactionType);

        Contract token = await Contract.DeployAsync(signer1, abi, creation, [1_000_000], Receipt);
        TransactionReceipt transfer = await token.SendAsync("transfer", Bob, 250);
        Assert.True(transfer.Succeeded);
        AssertTransferEvent(token.DecodeEvents(transfer), wallet.Address, Bob, 250);

        // Every node commits the blocks; node 3 serves the token's state and the receipt.
        await network.WaitForHeightAsync(transfer.BlockNumber, Receipt, 0, 1, 2, 3);
        var tokenAt3 = new Contract(client3, abi, token.Address);
        Assert.Equal(runtime, await client3.GetCodeAsync(token.Address));
        Assert.Equal("Trellis Bench Token", await tokenAt3.CallAsync<string>("name"));
        Assert.Equal(new UInt256(250), await tokenAt3.CallAsync<UInt256>("balanceOf", Bob));
        Assert.Equal(new UInt256(999_750), await tokenAt3.CallAsync<UInt256>("balanceOf", wallet.Address));
        TransactionReceipt transferAt3 = (await client3.GetTransactionReceiptAsync(transfer.TransactionHash))!;
        Assert.Equal(transfer.BlockHash, transferAt3.BlockHash);
        Assert.Equal((ulong)TxType.Native, transferAt3.Type);
        AssertTransferEvent(tokenAt3.DecodeEvents(transferAt3), wallet.Address, Bob, 250);
        JsonElement transaction = await network.Clients[2].CallAsync("eth_getTransactionByHash", $"[\"{transfer.TransactionHash}\"]");
        Assert.Equal("0x54", transaction.GetProperty("type").GetString());

        // An Ethereum envelope signed with secp256k1 has no place on this chain: every node refuses it.
        PrivateKey ethereumKey = CryptoSuites.Standard.GeneratePrivateKey();
        string ethereumTransfer = Hex.Encode(new TransactionBuilder
        {
            Type = TxType.DynamicFee,
            ChainId = network.ChainId,
            Nonce = 0,
            GasLimit = 21_000,
            To = Bob,
        }.Sign(CryptoSuites.Standard, ethereumKey).Encode());
        var refused = await Assert.ThrowsAsync<RpcErrorException>(() => network.Clients[1].CallAsync("eth_sendRawTransaction", $"[\"{ethereumTransfer}\"]"));
        output.WriteLine("an EIP-1559 secp256k1 transaction is refused: " + refused.Message);

        // The block hash node 3 reports is SM3 (by OpenSSL) over the header encoding of docs/transactions.md.
        await CheckBlockHashAsync(network.Clients[2], transfer.BlockNumber, scratch);

        // Node 1 stops (f = 1): the SDK carries on through node 2 and still reads through node 3.
        await network.StopAsync(0);
        using var client2 = new TrellisClient(network.Rpc[1], options);
        using var signer2 = new Signer(client2, wallet);
        var tokenAt2 = new Contract(client2, abi, token.Address, signer2) { ReceiptTimeout = Receipt };
        TransactionReceipt afterStop = await tokenAt2.SendAsync("transfer", Carol, 40);
        Assert.True(afterStop.Succeeded);
        AssertTransferEvent(tokenAt2.DecodeEvents(afterStop), wallet.Address, Carol, 40);
        await network.WaitForHeightAsync(afterStop.BlockNumber, Receipt, 2, 3);
        Assert.Equal(new UInt256(40), await tokenAt3.CallAsync<UInt256>("balanceOf", Carol));
        Assert.Equal(new UInt256(999_710), await tokenAt3.CallAsync<UInt256>("balanceOf", wallet.Address));
        Assert.Equal(3, (await tokenAt3.GetEventsAsync("Transfer")).Count); // the constructor's mint, then two transfers
        string[] hashes2 = await network.BlockHashesAsync(1, afterStop.BlockNumber);
        Assert.Equal(hashes2, await network.BlockHashesAsync(2, afterStop.BlockNumber));
        Assert.Equal(hashes2, await network.BlockHashesAsync(3, afterStop.BlockNumber));

        // Node 1's ledger, read from its database now that it is stopped: every block carries a HotStuff commit
        // certificate of SM2 signatures that the engine accepts, and the SDK's transactions are SM2-signed 0x54
        // envelopes whose ids are SM3 of their encoding.
        await CheckStoppedLedgerAsync(network, chain, scratch, hashes2, transfer, wallet);

        // Node 1 back: it catches up by block sync (its engine verifying the SM2 certificates of the blocks it missed)
        // and serves the token's current state.
        ulong networkHead = await network.HeightAsync(1);
        await network.StartAsync(0);
        await network.WaitForHeightAsync(networkHead, Receipt, 0);
        Assert.Equal(await network.BlockHashesAsync(1, networkHead), await network.BlockHashesAsync(0, networkHead));
        Assert.Equal(new UInt256(40), await token.CallAsync<UInt256>("balanceOf", Carol));
    }

    private async Task CheckCertificateChainsAsync(ConsortiumNetwork network, ChainConfig chain, ScratchDirectory scratch)
    {
        for (int k = 1; k <= 4; k++)
        {
            string org = Path.Combine(network.Directory, "orgs", "org" + k.ToString(CultureInfo.InvariantCulture));
            string ca = Path.Combine(org, "ca.crt");
            string tlsCa = Path.Combine(org, "tls-ca.crt");
            string rootText = await OpenSslAsync("x509", "-in", ca, "-noout", "-text");
            Assert.Contains("Signature Algorithm: SM2-with-SM3", rootText, StringComparison.Ordinal);
            Assert.Contains("ASN1 OID: SM2", rootText, StringComparison.Ordinal);
            Assert.Contains(": OK", await OpenSslAsync("verify", "-vfyopt", DistinguishingId, "-CAfile", ca, ca), StringComparison.Ordinal);
            string tlsCaText = await OpenSslAsync("x509", "-in", tlsCa, "-noout", "-text");
            Assert.Contains("Signature Algorithm: SM2-with-SM3", tlsCaText, StringComparison.Ordinal);
            Assert.Contains("NIST CURVE: P-256", tlsCaText, StringComparison.Ordinal);
            Assert.Contains(": OK", await OpenSslAsync("verify", "-vfyopt", DistinguishingId, "-CAfile", ca, tlsCa), StringComparison.Ordinal);
        }

        foreach (LedgerNodeConfig node in chain.Nodes)
        {
            // tls.crt is the node certificate followed by its TLS CA; openssl reads the first.
            string chainFile = Path.Combine(network.Directory, "nodes", node.Name, "tls.crt");
            string leaf = scratch.Write(node.Name + ".crt", FirstPem(await File.ReadAllTextAsync(chainFile)));
            string tlsCa = Path.Combine(network.Directory, "orgs", node.Org, "tls-ca.crt");
            string text = await OpenSslAsync("x509", "-in", leaf, "-noout", "-text");
            Assert.Contains("Signature Algorithm: ecdsa-with-SHA256", text, StringComparison.Ordinal);
            Assert.Contains("NIST CURVE: P-256", text, StringComparison.Ordinal);
            Assert.Contains("URI:urn:trellis:address:" + node.Address.ToLowerHex(), text, StringComparison.Ordinal);
            Assert.Contains(": OK", await OpenSslAsync("verify", "-partial_chain", "-CAfile", tlsCa, "-purpose", "sslserver", leaf), StringComparison.Ordinal);
            string fingerprint = await OpenSslAsync("x509", "-in", leaf, "-noout", "-fingerprint", "-sha256");
            Assert.Equal(Hex.Encode(node.TlsCertificateFingerprint!.Value.Span)[2..], fingerprint.Trim()[(fingerprint.IndexOf('=', StringComparison.Ordinal) + 1)..].Replace(":", string.Empty, StringComparison.Ordinal), StringComparer.OrdinalIgnoreCase);
        }

        output.WriteLine("TLS chains: SM2 root (SM2-with-SM3) -> P-256 TLS CA (SM2-with-SM3) -> P-256 node (ecdsa-with-SHA256), verified by openssl");
    }

    private async Task CheckBlockHashAsync(RpcClient client, ulong height, ScratchDirectory scratch)
    {
        JsonElement block = await client.CallAsync("eth_getBlockByNumber", $"[\"0x{height:x}\", false]");
        var writer = new RlpWriter();
        int list = writer.StartList();
        writer.WriteBytes(Hex.Decode(block.GetProperty("parentHash").GetString()!));
        writer.WriteULong(Quantity(block, "number"));
        writer.WriteULong(Quantity(block, "timestamp"));
        writer.WriteBytes(Hex.Decode(block.GetProperty("miner").GetString()!));
        writer.WriteBytes(Hex.Decode(block.GetProperty("transactionsRoot").GetString()!));
        writer.WriteBytes(Hex.Decode(block.GetProperty("receiptsRoot").GetString()!));
        writer.WriteBytes(Hex.Decode(block.GetProperty("stateRoot").GetString()!));
        writer.WriteBytes(Hex.Decode(block.GetProperty("logsBloom").GetString()!));
        writer.WriteULong(Quantity(block, "gasUsed"));
        writer.WriteULong(Quantity(block, "gasLimit"));
        writer.EndList(list);
        byte[] encoding = writer.ToArray();
        string reported = block.GetProperty("hash").GetString()!;
        Assert.Equal(reported, Hex.Encode(await Sm3Async(encoding, scratch)), StringComparer.OrdinalIgnoreCase);
        Assert.NotEqual(reported, Keccak256.Hash(encoding).ToString(), StringComparer.OrdinalIgnoreCase);
        output.WriteLine($"block {height}: hash {reported} = openssl SM3 of its header encoding");
    }

    private async Task CheckStoppedLedgerAsync(ConsortiumNetwork network, ChainConfig chain, ScratchDirectory scratch, string[] liveHashes, TransactionReceipt transfer, Wallet wallet)
    {
        ICryptoSuite suite = chain.Suite;
        string copy = Path.Combine(scratch.Path, "node1-data");
        Directory.CreateDirectory(copy);
        foreach (string file in Directory.GetFiles(Path.Combine(network.Directory, "nodes", network.Names[0], "data"), "chain.db*"))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        using SqliteStore store = SqliteStore.Open(Path.Combine(copy, "chain.db"));
        var blocks = new BlockStore(store, suite);
        blocks.Initialize(chain);
        ulong head = blocks.Head!.Height;
        Assert.True(head >= transfer.BlockNumber, $"node 1 stopped at height {head}, before the transfer's block {transfer.BlockNumber}");

        List<LedgerNodeConfig> validators = [.. chain.Nodes.Where(n => n.Role == NodeRole.Validator)];
        var pool = new TxPool(chain, suite, new HeadStateReader(new WorldState(store, suite, blocks.Head.StateRoot)));
        var engine = new HotStuffEngine(HotStuffEngineOptions.FromChain(chain, null), suite, store, blocks, new BlockExecutor(suite, chain), pool, null, validators);
        var codec = new HotStuffCodec(suite, validators.Count);
        Hash256 genesisHotStuff = GenesisHotStuffHash(suite, blocks);
        bool checkedByOpenSsl = false;
        for (ulong height = 1; height <= head; height++)
        {
            Block block = blocks.GetBlock(height)!;
            Assert.Equal(liveHashes[height], block.Header.ComputeHash(suite).ToString(), StringComparer.OrdinalIgnoreCase);
            Assert.True(engine.VerifyCommitCertificate(block, out string? error), error);
            Assert.True(codec.TryDecodeCertificate(block.Header.ConsensusCertificate.Span, out HotStuffCommitCertificate? certificate, out error), error);
            Assert.InRange(certificate!.Signatures.Count, 3, 4); // a quorum of n = 4: 2f + 1 = 3
            foreach (ValidatorSignature signature in certificate.Signatures)
            {
                // An SM2 signature r ‖ s ‖ public key, the key being the genesis validator's.
                Assert.Equal(128, signature.Signature.Length);
                Assert.Equal(validators[signature.Validator].PublicKey!.Bytes.ToArray(), signature.Signature[64..]);
            }

            if (!checkedByOpenSsl)
            {
                // One QC signature by OpenSSL, over the vote message the engine signs (SigningMessages.Vote).
                byte[] payload = new Block(block.Header.WithCertificate([]), block.Transactions).Encode();
                var justify = new QuorumCertificate(certificate.JustifyView, certificate.ParentHash, []);
                Hash256 hotStuffHash = HotStuffBlock.ComputeHash(suite, certificate.ParentHash, certificate.View, (long)height, payload, block.Header.StateRoot, justify);
                ValidatorSignature first = certificate.Signatures[0];
                string key = Path.Combine(network.Directory, "nodes", validators[first.Validator].Name, "signing.key");
                Assert.True(await Sm2VerifyAsync(key, SigningMessages.Vote(genesisHotStuff, certificate.View, hotStuffHash), first.Signature, scratch), $"openssl rejects validator {first.Validator}'s QC signature on block {height}");
                checkedByOpenSsl = true;
            }

            // A certificate with one signature byte changed no longer proves the block.
            byte[] forged = [.. certificate.Signatures[0].Signature];
            forged[10] ^= 1;
            var tampered = certificate with { Signatures = [new ValidatorSignature(certificate.Signatures[0].Validator, forged), .. certificate.Signatures.Skip(1)] };
            Block bad = new(block.Header.WithCertificate(HotStuffCodec.EncodeCertificate(tampered)), block.Transactions);
            Assert.False(engine.VerifyCommitCertificate(bad, out _));
        }

        // The SDK's transfer: a 0x54 envelope, SM2-signed by the wallet (OpenSSL verifies it), id = SM3(encoding).
        Block transferBlock = blocks.GetBlock(transfer.BlockNumber)!;
        Transaction sent = transferBlock.Transactions[(int)transfer.TransactionIndex];
        Assert.Equal(TxType.Native, sent.Type);
        Assert.Equal(transfer.TransactionHash.Bytes.ToArray(), await Sm3Async(sent.Encode(), scratch));
        Assert.Equal(128, sent.Signature.Length);
        byte[] carriedKey = sent.Signature[64..].ToArray();
        Assert.Equal(wallet.PublicKey.Bytes.ToArray(), carriedKey);
        Assert.Equal(wallet.Address.Bytes.ToArray(), (await Sm3Async(carriedKey, scratch))[12..]);
        string walletKey = scratch.Write("wallet.key", KeyEncoding.ExportPrivateKeyPem(CurveKind.Sm2, wallet.PrivateKey.Bytes, wallet.PublicKey.Bytes));
        Assert.True(await Sm2VerifyAsync(walletKey, sent.GetSigningPayload(), sent.Signature.ToArray(), scratch), "openssl rejects the SDK's transaction signature");
        output.WriteLine($"node 1's blocks 1..{head}: HotStuff certificates of SM2 signatures accepted by the engine; one checked by openssl; the SDK transfer is an SM2-signed 0x54 envelope with an SM3 id");
    }

    // The hash of the HotStuff genesis block as HotStuffEngine derives it: it stands for the ledger genesis and the
    // chain id, and is part of every vote message.
    private static Hash256 GenesisHotStuffHash(ICryptoSuite suite, BlockStore blocks)
    {
        BlockHeader genesis = blocks.GetHeader(0)!;
        var payload = new byte[Hash256.Length + 8];
        genesis.ComputeHash(suite).Bytes.CopyTo(payload);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(payload.AsSpan(Hash256.Length), blocks.ChainId ?? 0);
        return HotStuffBlock.FromParts(suite, Hash256.Zero, 0, 0, payload, genesis.StateRoot, QuorumCertificate.ForGenesis(Hash256.Zero)).Hash;
    }

    private static async Task<JsonElement> StatusWithPeersAsync(RpcClient client, int peers, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            JsonElement status = await client.CallAsync("trellis_status");
            if (status.GetProperty("peers").GetInt32() >= peers || DateTime.UtcNow > deadline)
            {
                Assert.Equal(peers, status.GetProperty("peers").GetInt32());
                return status;
            }

            await Task.Delay(200);
        }
    }

    private static void AssertTransferEvent(IReadOnlyList<DecodedEvent> events, Address from, Address to, int value)
    {
        DecodedEvent transfer = Assert.Single(events);
        Assert.Equal("Transfer", transfer.Event.Name);
        Assert.Equal(from, transfer["from"]);
        Assert.Equal(to, transfer["to"]);
        Assert.Equal(new UInt256((ulong)value), transfer["value"]);
    }

    private static ulong Quantity(JsonElement element, string name) => RpcClient.ParseQuantity(element.GetProperty(name).GetString()!);

    private static string FirstPem(string pem)
    {
        const string End = "-----END CERTIFICATE-----";
        int end = pem.IndexOf(End, StringComparison.Ordinal);
        Assert.True(end > 0, "tls.crt holds no PEM certificate");
        return pem[..(end + End.Length)] + "\n";
    }

    // SM3 by OpenSSL.
    private static async Task<byte[]> Sm3Async(byte[] data, ScratchDirectory scratch)
    {
        string file = scratch.Write("sm3-" + Guid.NewGuid().ToString("N"), data);
        string digest = await OpenSslAsync("dgst", "-sm3", "-r", file);
        return Hex.Decode(digest[..64]);
    }

    // An SM2 signature r ‖ s (‖ public key) over message, checked by OpenSSL with the public key of a PKCS#8 key file.
    private static async Task<bool> Sm2VerifyAsync(string privateKeyFile, byte[] message, byte[] signature, ScratchDirectory scratch)
    {
        string name = Guid.NewGuid().ToString("N");
        string publicKey = Path.Combine(scratch.Path, name + ".pub");
        await OpenSslAsync("pkey", "-in", privateKeyFile, "-pubout", "-out", publicKey);
        var der = new AsnWriter(AsnEncodingRules.DER);
        using (der.PushSequence())
        {
            der.WriteIntegerUnsigned(signature.AsSpan(0, 32));
            der.WriteIntegerUnsigned(signature.AsSpan(32, 32));
        }

        string messageFile = scratch.Write(name + ".msg", message);
        string signatureFile = scratch.Write(name + ".sig", der.Encode());
        (int exitCode, string stdout, _) = await RunOpenSslAsync(
            "pkeyutl", "-verify", "-pubin", "-inkey", publicKey, "-rawin", "-digest", "sm3", "-pkeyopt", DistinguishingId, "-in", messageFile, "-sigfile", signatureFile);
        return exitCode == 0 && stdout.Contains("Signature Verified Successfully", StringComparison.Ordinal);
    }

    private static async Task<string> OpenSslAsync(params string[] arguments)
    {
        (int exitCode, string stdout, string stderr) = await RunOpenSslAsync(arguments);
        Assert.True(exitCode == 0, $"openssl {string.Join(' ', arguments)} exited {exitCode}: {stderr}{stdout}");
        return stdout;
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunOpenSslAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Trellis.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no directory containing Trellis.slnx above {AppContext.BaseDirectory}");
    }

    /// <summary>A temporary directory for the files handed to openssl; deleted on dispose.</summary>
    private sealed class ScratchDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("trellis-national-").FullName;

        public string Write(string name, string text)
        {
            string file = System.IO.Path.Combine(Path, name);
            File.WriteAllText(file, text);
            return file;
        }

        public string Write(string name, byte[] bytes)
        {
            string file = System.IO.Path.Combine(Path, name);
            File.WriteAllBytes(file, bytes);
            return file;
        }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
