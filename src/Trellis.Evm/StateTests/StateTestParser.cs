using System.Text.Json;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.Evm.Processing;

namespace Trellis.Evm.StateTests;

/// <summary>
/// Reads GeneralStateTests files (the "filled" JSON format of ethereum/tests). Only <c>post.Cancun</c> is read;
/// other forks are ignored.
/// </summary>
public static class StateTestParser
{
    /// <summary>The fork whose post-states are checked.</summary>
    public const string Fork = "Cancun";

    /// <summary>Files larger than this are refused rather than read into memory (the largest real one is a few MiB).</summary>
    public const long MaxFileBytes = 256L * 1024 * 1024;

    private static readonly JsonDocumentOptions s_options = new() { MaxDepth = 64, CommentHandling = JsonCommentHandling.Skip };

    /// <summary>Reads every test of a file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="StateTestFormatException">The file is not JSON, too large, or its top level is not an object of tests.</exception>
    public static IReadOnlyList<StateTest> ParseFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"state test file '{path}' does not exist", path);
        }

        if (info.Length > MaxFileBytes)
        {
            throw new StateTestFormatException($"state test file '{path}' is {info.Length} bytes; the limit is {MaxFileBytes}");
        }

        return Parse(File.ReadAllBytes(path), path);
    }

    /// <summary>Reads every test of a file's contents; <paramref name="file"/> only names it in results and errors.</summary>
    /// <exception cref="StateTestFormatException">The text is not JSON or its top level is not an object of tests.</exception>
    public static IReadOnlyList<StateTest> Parse(ReadOnlyMemory<byte> json, string file)
    {
        ArgumentNullException.ThrowIfNull(file);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, s_options);
        }
        catch (JsonException e)
        {
            throw new StateTestFormatException($"state test file '{file}' is not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new StateTestFormatException($"state test file '{file}' must hold a JSON object of named tests, found {document.RootElement.ValueKind}");
            }

            var tests = new List<StateTest>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                tests.Add(ParseTest(file, property.Name, property.Value));
            }

            return tests;
        }
    }

    /// <summary>Reads one test; a malformed one comes back with <see cref="StateTest.Error"/> set instead of throwing.</summary>
    private static StateTest ParseTest(string file, string name, JsonElement test)
    {
        try
        {
            if (test.ValueKind != JsonValueKind.Object)
            {
                throw new StateTestFormatException($"the test is a JSON {test.ValueKind}, expected an object");
            }

            var cases = ReadCases(Required(test, "post"));
            if (cases.Count == 0)
            {
                // Nothing to run under Cancun: the rest of the test is not our concern.
                return new StateTest(file, name, null, [], null, cases);
            }

            var environment = ReadEnvironment(Required(test, "env"));
            var pre = ReadPre(Required(test, "pre"));
            var transaction = ReadTransaction(Required(test, "transaction"));
            return new StateTest(file, name, environment, pre, transaction, cases);
        }
        catch (Exception e) when (e is StateTestFormatException or FormatException or InvalidOperationException or ArgumentException)
        {
            return StateTest.Malformed(file, name, $"malformed test: {e.Message}");
        }
    }

    private static StateTestEnvironment ReadEnvironment(JsonElement env)
    {
        ExpectObject(env, "env");
        var random = Optional(env, "currentRandom") ?? Optional(env, "currentDifficulty");
        return new StateTestEnvironment(
            ReadAddress(Required(env, "currentCoinbase"), "env.currentCoinbase"),
            ReadULong(Required(env, "currentNumber"), "env.currentNumber"),
            ReadULong(Required(env, "currentTimestamp"), "env.currentTimestamp"),
            ReadLong(Required(env, "currentGasLimit"), "env.currentGasLimit"),
            random is { } r ? ReadUInt256(r, "env.currentRandom") : UInt256.Zero,
            Optional(env, "currentBaseFee") is { } baseFee ? ReadUInt256(baseFee, "env.currentBaseFee") : UInt256.Zero,
            Optional(env, "currentExcessBlobGas") is { } excess ? ReadULong(excess, "env.currentExcessBlobGas") : 0);
    }

    private static List<StateTestAccount> ReadPre(JsonElement pre)
    {
        ExpectObject(pre, "pre");
        var accounts = new List<StateTestAccount>();
        foreach (var property in pre.EnumerateObject())
        {
            string where = $"pre[{property.Name}]";
            var address = ParseAddress(property.Name, where);
            var account = property.Value;
            ExpectObject(account, where);
            var storage = new List<KeyValuePair<UInt256, UInt256>>();
            if (Optional(account, "storage") is { } slots)
            {
                ExpectObject(slots, where + ".storage");
                foreach (var slot in slots.EnumerateObject())
                {
                    var key = ParseUInt256(slot.Name, $"{where}.storage key");
                    storage.Add(new(key, ReadUInt256(slot.Value, $"{where}.storage[{slot.Name}]")));
                }
            }

            accounts.Add(new StateTestAccount(
                address,
                Optional(account, "balance") is { } balance ? ReadUInt256(balance, where + ".balance") : UInt256.Zero,
                Optional(account, "nonce") is { } nonce ? ReadULong(nonce, where + ".nonce") : 0,
                Optional(account, "code") is { } code ? ReadBytes(code, where + ".code") : [],
                storage));
        }

        return accounts;
    }

    private static StateTestTransaction ReadTransaction(JsonElement tx)
    {
        ExpectObject(tx, "transaction");
        Address sender;
        if (Optional(tx, "secretKey") is { } secret)
        {
            var key = ReadBytes(secret, "transaction.secretKey");
            var suite = CryptoSuites.Standard;
            try
            {
                sender = suite.ToAddress(suite.DerivePublicKey(suite.ImportPrivateKey(key)));
            }
            catch (ArgumentException e)
            {
                throw new StateTestFormatException($"transaction.secretKey is not a valid secp256k1 private key: {e.Message}", e);
            }
        }
        else
        {
            sender = ReadAddress(Required(tx, "sender"), "transaction.sender");
        }

        Address? to = null;
        if (Optional(tx, "to") is { } toElement && toElement.ValueKind != JsonValueKind.Null && toElement.GetString() is { Length: > 0 } toText)
        {
            to = ParseAddress(toText, "transaction.to");
        }

        return new StateTestTransaction(
            sender,
            to,
            ReadULong(Required(tx, "nonce"), "transaction.nonce"),
            ReadStrings(Required(tx, "data"), "transaction.data"),
            ReadStrings(Required(tx, "gasLimit"), "transaction.gasLimit"),
            ReadStrings(Required(tx, "value"), "transaction.value"),
            OptionalUInt256(tx, "gasPrice"),
            OptionalUInt256(tx, "maxFeePerGas"),
            OptionalUInt256(tx, "maxPriorityFeePerGas"),
            Optional(tx, "accessLists") is { } lists ? ReadAccessLists(lists) : null,
            Optional(tx, "blobVersionedHashes") is { } hashes ? ReadHashes(hashes, "transaction.blobVersionedHashes") : null,
            OptionalUInt256(tx, "maxFeePerBlobGas"));
    }

    private static List<IReadOnlyList<AccessListEntry>?> ReadAccessLists(JsonElement lists)
    {
        ExpectArray(lists, "transaction.accessLists");
        var result = new List<IReadOnlyList<AccessListEntry>?>();
        int i = 0;
        foreach (var list in lists.EnumerateArray())
        {
            string where = $"transaction.accessLists[{i++}]";
            if (list.ValueKind == JsonValueKind.Null)
            {
                result.Add(null);
                continue;
            }

            ExpectArray(list, where);
            var entries = new List<AccessListEntry>();
            foreach (var entry in list.EnumerateArray())
            {
                ExpectObject(entry, where);
                var address = ReadAddress(Required(entry, "address"), where + ".address");
                var keys = new List<UInt256>();
                if (Optional(entry, "storageKeys") is { } keyArray)
                {
                    ExpectArray(keyArray, where + ".storageKeys");
                    foreach (var key in keyArray.EnumerateArray())
                    {
                        keys.Add(ReadUInt256(key, where + ".storageKeys"));
                    }
                }

                entries.Add(new AccessListEntry(address, keys));
            }

            result.Add(entries);
        }

        return result;
    }

    private static List<StateTestCase> ReadCases(JsonElement post)
    {
        ExpectObject(post, "post");
        var cases = new List<StateTestCase>();
        if (Optional(post, Fork) is not { } fork)
        {
            return cases;
        }

        ExpectArray(fork, $"post.{Fork}");
        int i = 0;
        foreach (var item in fork.EnumerateArray())
        {
            string where = $"post.{Fork}[{i++}]";
            ExpectObject(item, where);
            var indexes = Required(item, "indexes");
            ExpectObject(indexes, where + ".indexes");
            string? expectException = Optional(item, "expectException") is { ValueKind: JsonValueKind.String } exception ? exception.GetString() : null;
            cases.Add(new StateTestCase(
                ReadIndex(Required(indexes, "data"), where + ".indexes.data"),
                ReadIndex(Required(indexes, "gas"), where + ".indexes.gas"),
                ReadIndex(Required(indexes, "value"), where + ".indexes.value"),
                ReadHash(Required(item, "hash"), where + ".hash"),
                ReadHash(Required(item, "logs"), where + ".logs"),
                string.IsNullOrEmpty(expectException) ? null : expectException));
        }

        return cases;
    }

    private static JsonElement Required(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value)
            ? value
            : throw new StateTestFormatException($"missing field \"{name}\"");

    private static JsonElement? Optional(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static UInt256? OptionalUInt256(JsonElement parent, string name) =>
        Optional(parent, name) is { } value ? ReadUInt256(value, "transaction." + name) : null;

    private static void ExpectObject(JsonElement element, string where)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new StateTestFormatException($"{where} must be a JSON object, found {element.ValueKind}");
        }
    }

    private static void ExpectArray(JsonElement element, string where)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw new StateTestFormatException($"{where} must be a JSON array, found {element.ValueKind}");
        }
    }

    private static string ReadString(JsonElement element, string where) =>
        element.ValueKind == JsonValueKind.String
            ? element.GetString()!
            : throw new StateTestFormatException($"{where} must be a string, found {element.ValueKind}");

    private static List<string> ReadStrings(JsonElement element, string where)
    {
        ExpectArray(element, where);
        var result = new List<string>();
        foreach (var item in element.EnumerateArray())
        {
            result.Add(ReadString(item, where));
        }

        return result;
    }

    private static int ReadIndex(JsonElement element, string where) =>
        element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out int index) && index >= 0
            ? index
            : throw new StateTestFormatException($"{where} must be a non-negative integer, found {element}");

    private static byte[] ReadBytes(JsonElement element, string where) =>
        StateTestHex.TryParseBytes(ReadString(element, where), out var bytes, out var error)
            ? bytes
            : throw new StateTestFormatException($"{where}: {error}");

    private static UInt256 ReadUInt256(JsonElement element, string where) => ParseUInt256(ReadString(element, where), where);

    private static UInt256 ParseUInt256(string text, string where) =>
        StateTestHex.TryParseUInt256(text, out var value, out var error)
            ? value
            : throw new StateTestFormatException($"{where}: {error}");

    private static ulong ReadULong(JsonElement element, string where) =>
        StateTestHex.TryParseULong(ReadString(element, where), out var value, out var error)
            ? value
            : throw new StateTestFormatException($"{where}: {error}");

    private static long ReadLong(JsonElement element, string where) =>
        StateTestHex.TryParseLong(ReadString(element, where), out var value, out var error)
            ? value
            : throw new StateTestFormatException($"{where}: {error}");

    private static Address ReadAddress(JsonElement element, string where) => ParseAddress(ReadString(element, where), where);

    // Checksums are not enforced: the fixtures spell addresses in lower case, and the format does not promise EIP-55.
    private static Address ParseAddress(string text, string where) =>
        StateTestHex.TryParseBytes(text, out var bytes, out var error) && bytes.Length == Address.Length
            ? new Address(bytes)
            : throw new StateTestFormatException($"{where}: expected a 20-byte 0x-hex address, got \"{text}\"{(error is null ? "" : ": " + error)}");

    private static Hash256 ReadHash(JsonElement element, string where)
    {
        var text = ReadString(element, where);
        return StateTestHex.TryParseBytes(text, out var bytes, out var error) && bytes.Length == Hash256.Length
            ? new Hash256(bytes)
            : throw new StateTestFormatException($"{where}: expected a 32-byte 0x-hex hash, got \"{text}\"{(error is null ? "" : ": " + error)}");
    }

    private static List<Hash256> ReadHashes(JsonElement element, string where)
    {
        ExpectArray(element, where);
        var result = new List<Hash256>();
        foreach (var item in element.EnumerateArray())
        {
            result.Add(ReadHash(item, where));
        }

        return result;
    }
}
