using System.CommandLine;
using System.Text.Json;
using Trellis.Core;
using Trellis.Crypto;

namespace Trellis.Cli;

/// <summary><c>trellis crypto ...</c>: try either crypto suite by hand.</summary>
internal static class CryptoCommands
{
    /// <summary>Inputs larger than this are refused rather than read into memory.</summary>
    private const long MaxInputBytes = 256L * 1024 * 1024;

    public static Command Build(CommandContext context)
    {
        var crypto = new Command("crypto", "Generate keys, hash, sign and verify with the standard or national suite.");
        crypto.Subcommands.Add(BuildKeygen(context));
        crypto.Subcommands.Add(BuildHash(context));
        crypto.Subcommands.Add(BuildSign(context));
        crypto.Subcommands.Add(BuildVerify(context));
        return crypto;
    }

    private static Option<string> SuiteOption()
    {
        var option = new Option<string>("--suite", "-s")
        {
            Description = "Crypto suite: 'standard' (Keccak-256, secp256k1, AES-GCM) or 'national' (SM3, SM2, SM4-GCM).",
            DefaultValueFactory = _ => "standard",
        };
        option.AcceptOnlyFromAmong("standard", "national");
        return option;
    }

    private static Option<FileInfo?> FileOption() => new("--file", "-f")
    {
        Description = "Read the message from this file instead of standard input.",
    };

    private static Command BuildKeygen(CommandContext context)
    {
        var suiteOption = SuiteOption();
        var jsonOption = new Option<bool>("--json") { Description = "Print the key as a JSON object." };
        var pemOption = new Option<bool>("--pem") { Description = "Print the private key (PKCS#8) and public key (SubjectPublicKeyInfo) as PEM." };
        var command = new Command("keygen", "Generate a key pair from a cryptographic random source.")
        {
            suiteOption, jsonOption, pemOption,
        };
        command.SetAction(parse => Guard(context, () =>
        {
            var suite = CryptoSuites.Get(parse.GetValue(suiteOption)!);
            var privateKey = suite.GeneratePrivateKey();
            var publicKey = suite.DerivePublicKey(privateKey);
            var address = suite.ToAddress(publicKey);
            if (parse.GetValue(pemOption))
            {
                context.Output.Write(KeyEncoding.ExportPrivateKeyPem(suite.Curve, privateKey.Bytes, publicKey.Bytes));
                context.Output.Write(KeyEncoding.ExportPublicKeyPem(suite.Curve, publicKey.Bytes));
            }
            else if (parse.GetValue(jsonOption))
            {
                var json = JsonSerializer.Serialize(new Dictionary<string, string>
                {
                    ["suite"] = suite.Name,
                    ["privateKey"] = privateKey.ToHex(),
                    ["publicKey"] = publicKey.ToHex(),
                    ["address"] = address.ToString(),
                });
                context.Output.WriteLine(json);
            }
            else
            {
                context.Output.WriteLine($"suite        {suite.Name} ({suite.SignatureAlgorithm}, {suite.HashAlgorithm})");
                context.Output.WriteLine($"private key  {privateKey.ToHex()}");
                context.Output.WriteLine($"public key   {publicKey.ToHex()}");
                context.Output.WriteLine($"address      {address}");
            }

            return 0;
        }));
        return command;
    }

    private static Command BuildHash(CommandContext context)
    {
        var suiteOption = SuiteOption();
        var fileOption = FileOption();
        var command = new Command("hash", "Hash a file or standard input with the suite's ledger hash (Keccak-256 or SM3).")
        {
            suiteOption, fileOption,
        };
        command.SetAction(parse => Guard(context, () =>
        {
            var suite = CryptoSuites.Get(parse.GetValue(suiteOption)!);
            var message = ReadMessage(context, parse.GetValue(fileOption));
            context.Output.WriteLine(suite.Hash(message).ToString());
            return 0;
        }));
        return command;
    }

    private static Command BuildSign(CommandContext context)
    {
        var suiteOption = SuiteOption();
        var fileOption = FileOption();
        var keyOption = new Option<string>("--key", "-k")
        {
            Description = "The private key: 0x-prefixed hex, or a file holding hex or a PEM key.",
            Required = true,
        };
        var command = new Command("sign", "Sign a file or standard input; prints the signature as hex.")
        {
            suiteOption, keyOption, fileOption,
        };
        command.SetAction(parse => Guard(context, () =>
        {
            var suite = CryptoSuites.Get(parse.GetValue(suiteOption)!);
            var privateKey = KeyInput.ReadPrivateKey(suite, parse.GetValue(keyOption)!);
            var message = ReadMessage(context, parse.GetValue(fileOption));
            context.Output.WriteLine(Hex.Encode(suite.Sign(privateKey, message)));
            return 0;
        }));
        return command;
    }

    private static Command BuildVerify(CommandContext context)
    {
        var suiteOption = SuiteOption();
        var fileOption = FileOption();
        var signatureOption = new Option<string>("--signature")
        {
            Description = "The signature as hex (65 bytes standard, 128 bytes national).",
            Required = true,
        };
        var publicKeyOption = new Option<string?>("--public-key", "-p")
        {
            Description = "The expected signer's public key: hex of x || y, or a file holding hex or a PEM key.",
        };
        var addressOption = new Option<string?>("--address", "-a") { Description = "The expected signer's address." };
        var command = new Command("verify", "Verify a signature over a file or standard input against a public key or address. Exit code 0 if valid, 1 if not.")
        {
            suiteOption, signatureOption, publicKeyOption, addressOption, fileOption,
        };
        command.SetAction(parse => Guard(context, () =>
        {
            var suite = CryptoSuites.Get(parse.GetValue(suiteOption)!);
            var publicKeyText = parse.GetValue(publicKeyOption);
            var addressText = parse.GetValue(addressOption);
            if ((publicKeyText is null) == (addressText is null))
            {
                throw new CliException("give exactly one of --public-key and --address");
            }

            var signature = KeyInput.DecodeHex(parse.GetValue(signatureOption)!, "--signature");
            if (signature.Length != suite.SignatureLength)
            {
                throw new CliException($"--signature is {signature.Length} bytes, but a {suite.Name}-suite signature is {suite.SignatureLength} bytes");
            }

            var message = ReadMessage(context, parse.GetValue(fileOption));
            bool valid;
            Address signer;
            if (publicKeyText is not null)
            {
                var publicKey = KeyInput.ReadPublicKey(suite, publicKeyText);
                valid = suite.Verify(publicKey, message, signature);
                signer = suite.ToAddress(publicKey);
            }
            else
            {
                if (!Address.TryParse(addressText, out var expected))
                {
                    throw new CliException($"--address '{addressText}' is not a 20-byte hex address with a valid checksum");
                }

                valid = suite.TryRecoverSigner(message, signature, out var recovered) && suite.ToAddress(recovered) == expected;
                signer = expected;
            }

            if (!valid)
            {
                context.Error.WriteLine($"invalid: the signature does not verify for {signer} in the {suite.Name} suite");
                return 1;
            }

            context.Output.WriteLine($"valid: signed by {signer}");
            return 0;
        }));
        return command;
    }

    private static byte[] ReadMessage(CommandContext context, FileInfo? file)
    {
        if (file is null)
        {
            using var buffer = new MemoryStream();
            context.Input.CopyTo(buffer);
            return buffer.ToArray();
        }

        if (!file.Exists)
        {
            throw new CliException($"--file '{file.FullName}' does not exist");
        }

        if (file.Length > MaxInputBytes)
        {
            throw new CliException($"--file '{file.FullName}' is {file.Length} bytes; the limit is {MaxInputBytes}");
        }

        return File.ReadAllBytes(file.FullName);
    }

    /// <summary>Turns expected failures into one line on standard error and exit code 1; never a stack trace.</summary>
    internal static int Guard(CommandContext context, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is CliException or ArgumentException or FormatException or IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            context.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }
}
