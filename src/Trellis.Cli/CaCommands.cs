using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.Crypto.X509;
using Trellis.Network.Certificates;
using PublicKey = Trellis.Crypto.PublicKey;

namespace Trellis.Cli;

/// <summary>
/// <c>trellis ca ...</c>: an organisation's certificate authority: create it, issue node (TLS) and admin certificates,
/// show and verify certificates, and propose revoking one on a running network.
/// </summary>
internal static class CaCommands
{
    // Certificates and keys are a few kilobytes; anything much larger is refused before it is read.
    private const long MaxFileBytes = CertificatePem.MaxLength;

    public static Command Build(CommandContext context)
    {
        var ca = new Command("ca", "Organisation certificate authority: create it, issue node and admin certificates, show and verify certificates.");
        ca.Subcommands.Add(BuildInit(context));
        ca.Subcommands.Add(BuildIssueNode(context));
        ca.Subcommands.Add(BuildIssueAdmin(context));
        ca.Subcommands.Add(BuildShow(context));
        ca.Subcommands.Add(BuildVerify(context));
        ca.Subcommands.Add(BuildRevoke(context));
        return ca;
    }

    private static Option<int?> DaysOption(string what) => new("--days")
    {
        Description = $"Days the {what} is valid (default: CA 3650, node 730, admin 365; never past the CA).",
    };

    private static Option<DirectoryInfo> CaDirectoryOption() => new("--ca")
    {
        Description = "Directory of the CA (as written by 'trellis ca init').",
        Required = true,
    };

    private static Option<DirectoryInfo> OutOption() => new("--out", "-o")
    {
        Description = "Directory to write the certificate and key to (created if missing; existing files are never overwritten).",
        Required = true,
    };

    private static Command BuildInit(CommandContext context)
    {
        var orgOption = new Option<string>("--org") { Description = "Organisation name (subject O), 1 to 64 printable characters.", Required = true };
        var dirOption = new Option<DirectoryInfo>("--dir", "-d") { Description = "Directory to create the CA in.", Required = true };
        var cryptoOption = new Option<string>("--crypto")
        {
            Description = "'standard' (P-256 root) or 'national' (SM2 root that certifies a P-256 TLS CA).",
            DefaultValueFactory = _ => "standard",
        };
        cryptoOption.AcceptOnlyFromAmong("standard", "national");
        var daysOption = DaysOption("CA");
        var command = new Command("init", "Create an organisation's root CA in a directory (refuses to overwrite one).")
        {
            orgOption, dirOption, cryptoOption, daysOption,
        };
        command.SetAction(parse => Guard(context, () =>
        {
            ICryptoSuite suite = CryptoSuites.Get(parse.GetValue(cryptoOption)!);
            string directory = parse.GetValue(dirOption)!.FullName;
            if (File.Exists(Path.Combine(directory, CertificateAuthority.CertificateFileName))
                || File.Exists(Path.Combine(directory, CertificateAuthority.PrivateKeyFileName)))
            {
                throw new CliException($"{directory} holds a CA already ({CertificateAuthority.CertificateFileName}); a CA is never overwritten");
            }

            using CertificateAuthority ca = CertificateAuthority.Create(parse.GetValue(orgOption)!, suite, Days(parse.GetValue(daysOption)));
            ca.WriteTo(directory);
            context.Output.WriteLine($"created the {suite.Name}-suite CA of \"{ca.Organisation}\" in {directory}");
            context.Output.WriteLine($"root          {Path.Combine(directory, CertificateAuthority.CertificateFileName)} ({Algorithm(ca.Certificate)})");
            if (ca.HasSeparateTlsAuthority)
            {
                context.Output.WriteLine($"TLS CA        {Path.Combine(directory, CertificateAuthority.TlsCertificateFileName)} ({Algorithm(ca.TlsAuthority)})");
            }

            context.Output.WriteLine($"fingerprint   {ca.Fingerprint}");
            context.Output.WriteLine($"valid until   {Time(ca.Certificate.NotAfter)}");
            return 0;
        }));
        return command;
    }

    private static Command BuildIssueNode(CommandContext context)
    {
        var caOption = CaDirectoryOption();
        var nameOption = new Option<string>("--name") { Description = "Node name (subject CN).", Required = true };
        var keyOption = new Option<string?>("--signing-key")
        {
            Description = "The node's ledger signing key (file holding PEM or hex) whose address the certificate carries.",
        };
        var addressOption = new Option<string?>("--signing-address") { Description = "The node's ledger signing address, instead of --signing-key." };
        var outOption = OutOption();
        var daysOption = DaysOption("certificate");
        var command = new Command("issue-node", "Issue a node's TLS certificate (P-256) bound to its ledger signing address; writes tls.crt and tls.key.")
        {
            caOption, nameOption, keyOption, addressOption, outOption, daysOption,
        };
        command.SetAction(parse => Guard(context, () =>
        {
            string? keyText = parse.GetValue(keyOption);
            string? addressText = parse.GetValue(addressOption);
            if ((keyText is null) == (addressText is null))
            {
                throw new CliException("give exactly one of --signing-key and --signing-address");
            }

            using CertificateAuthority ca = LoadCa(parse.GetValue(caOption)!);
            Address address;
            if (addressText is not null)
            {
                if (!Address.TryParse(addressText.Trim(), out address))
                {
                    throw new CliException($"--signing-address \"{addressText}\" is not 0x and 40 hex digits");
                }
            }
            else
            {
                PrivateKey key = KeyInput.ReadPrivateKey(ca.Suite, keyText!);
                address = ca.Suite.ToAddress(ca.Suite.DerivePublicKey(key));
            }

            string directory = parse.GetValue(outOption)!.FullName;
            string certificatePath = Path.Combine(directory, "tls.crt");
            string keyPath = Path.Combine(directory, "tls.key");
            RefuseExisting(certificatePath, keyPath);
            using NodeCertificate node = ca.IssueNodeCertificate(parse.GetValue(nameOption)!, address, Days(parse.GetValue(daysOption)));
            Directory.CreateDirectory(directory);
            WriteNew(certificatePath, node.ExportChainPem(), secret: false);
            WriteNew(keyPath, node.ExportPrivateKeyPem() + "\n", secret: true);
            context.Output.WriteLine($"issued node certificate \"{node.Name}\" of \"{node.Organisation}\"");
            context.Output.WriteLine($"certificate   {certificatePath}");
            context.Output.WriteLine($"key           {keyPath}");
            context.Output.WriteLine($"address       {node.SigningAddress.ToLowerHex()}");
            context.Output.WriteLine($"fingerprint   {node.Fingerprint}");
            context.Output.WriteLine($"valid until   {Time(node.Certificate.NotAfter)}");
            return 0;
        }));
        return command;
    }

    private static Command BuildIssueAdmin(CommandContext context)
    {
        var caOption = CaDirectoryOption();
        var nameOption = new Option<string>("--name") { Description = "Admin name (subject CN).", Required = true };
        var outOption = OutOption();
        var keyOption = new Option<string?>("--key")
        {
            Description = "The admin's ledger key: a private or public key PEM (or hex) of the CA's suite. Without it a new key is generated and written as admin.key.",
        };
        var daysOption = DaysOption("certificate");
        var command = new Command("issue-admin", "Issue an admin certificate (OU=admin, the admin's ledger key and address); writes admin.crt (and admin.key).")
        {
            caOption, nameOption, outOption, keyOption, daysOption,
        };
        command.SetAction(parse => Guard(context, () =>
        {
            using CertificateAuthority ca = LoadCa(parse.GetValue(caOption)!);
            string directory = parse.GetValue(outOption)!.FullName;
            string certificatePath = Path.Combine(directory, "admin.crt");
            string keyPath = Path.Combine(directory, "admin.key");
            string? keyText = parse.GetValue(keyOption);
            PrivateKey? generated = null;
            PublicKey publicKey;
            if (keyText is null)
            {
                RefuseExisting(certificatePath, keyPath);
                generated = ca.Suite.GeneratePrivateKey();
                publicKey = ca.Suite.DerivePublicKey(generated);
            }
            else
            {
                RefuseExisting(certificatePath);
                publicKey = ReadAdminKey(ca.Suite, keyText);
            }

            using AdminCertificate admin = ca.IssueAdminCertificate(parse.GetValue(nameOption)!, publicKey, Days(parse.GetValue(daysOption)));
            Directory.CreateDirectory(directory);
            WriteNew(certificatePath, admin.ExportCertificatePem(), secret: false);
            if (generated is not null)
            {
                WriteNew(keyPath, KeyEncoding.ExportPrivateKeyPem(generated.Curve, generated.Bytes, publicKey.Bytes), secret: true);
            }

            context.Output.WriteLine($"issued admin certificate \"{admin.Name}\" of \"{admin.Organisation}\"");
            context.Output.WriteLine($"certificate   {certificatePath}");
            if (generated is not null)
            {
                context.Output.WriteLine($"key           {keyPath} (new {ca.Suite.Curve} key)");
            }

            context.Output.WriteLine($"address       {admin.Address.ToLowerHex()}");
            context.Output.WriteLine($"fingerprint   {admin.Fingerprint}");
            context.Output.WriteLine($"valid until   {Time(admin.Certificate.NotAfter)}");
            return 0;
        }));
        return command;
    }

    private static Command BuildShow(CommandContext context)
    {
        var fileArgument = new Argument<FileInfo>("file") { Description = "A PEM file of one or more certificates." };
        var command = new Command("show", "Show a certificate: kind, subject, issuer, validity, fingerprint, key and address.") { fileArgument };
        command.SetAction(parse => Guard(context, () =>
        {
            FileInfo file = parse.GetValue(fileArgument)!;
            List<X509Certificate2> certificates = CertificatePem.ReadAll(ReadSmallFile(file.FullName, "certificate file"), file.Name);
            try
            {
                for (int i = 0; i < certificates.Count; i++)
                {
                    if (i > 0)
                    {
                        context.Output.WriteLine();
                    }

                    Show(context.Output, certificates[i]);
                }
            }
            finally
            {
                Dispose(certificates);
            }

            return 0;
        }));
        return command;
    }

    private static Command BuildVerify(CommandContext context)
    {
        var caOption = new Option<FileInfo>("--ca")
        {
            Description = "PEM file of the member CA certificate(s) to trust (self-signed roots; a TLS CA may follow).",
            Required = true,
        };
        var fileArgument = new Argument<FileInfo>("file") { Description = "The certificate to verify (PEM; a node's TLS CA may follow it)." };
        var command = new Command("verify", "Verify a node, admin or CA certificate against member CA certificates; prints the reason when it is refused (exit code 1).")
        {
            caOption, fileArgument,
        };
        command.SetAction(parse => Guard(context, () =>
        {
            FileInfo caFile = parse.GetValue(caOption)!;
            FileInfo file = parse.GetValue(fileArgument)!;
            List<X509Certificate2> authorities = CertificatePem.ReadAll(ReadSmallFile(caFile.FullName, "--ca file"), caFile.Name);
            List<X509Certificate2> chain = [];
            try
            {
                chain = CertificatePem.ReadAll(ReadSmallFile(file.FullName, "certificate file"), file.Name);
                var roots = new List<X509Certificate2>();
                var intermediates = new List<X509Certificate2>(chain.Skip(1));
                foreach (X509Certificate2 authority in authorities)
                {
                    (authority.SubjectName.RawData.AsSpan().SequenceEqual(authority.IssuerName.RawData) ? roots : intermediates).Add(authority);
                }

                if (roots.Count == 0)
                {
                    throw new CliException($"--ca {caFile.Name} holds no self-signed CA certificate to trust");
                }

                foreach (X509Certificate2 root in roots)
                {
                    CertificateValidation authority = CertificateValidator.ValidateAuthority(root, DateTime.UtcNow);
                    if (!authority.IsValid)
                    {
                        throw new CliException($"--ca {caFile.Name}: {authority.Reason}");
                    }
                }

                X509Certificate2 leaf = chain[0];
                CertificateValidation validation = CertificateValidator.Validate(leaf, intermediates, roots, null, DateTime.UtcNow);
                if (!validation.IsValid)
                {
                    context.Error.WriteLine($"error: {validation.Error}: {validation.Reason}");
                    return 1;
                }

                context.Output.WriteLine($"valid {Kind(leaf)} certificate \"{leaf.Subject}\"");
                context.Output.WriteLine($"issued by     \"{validation.Issuer.Subject}\"");
                context.Output.WriteLine($"member CA     \"{validation.MemberAuthority.Subject}\" ({CertificateFingerprint.Of(validation.MemberAuthority)})");
                return 0;
            }
            finally
            {
                Dispose(authorities);
                Dispose(chain);
            }
        }));
        return command;
    }

    private static Command BuildRevoke(CommandContext context)
    {
        var certOption = new Option<FileInfo>("--cert") { Description = "PEM file of the certificate to revoke (node TLS, admin or organisation CA).", Required = true };
        var dir = Governance.GovernanceOptions.Directory();
        var org = Governance.GovernanceOptions.Org("The member organisation whose admin key proposes (default: the first member whose admin key the directory holds).", required: false);
        var reasonOption = new Option<string?>("--reason") { Description = "Why (at most 256 bytes), recorded on the ledger with the revocation." };
        var voteAll = new Option<bool>("--vote-all") { Description = "Vote yes with every other member's admin key in the directory until the proposal passes." };
        var command = new Command("revoke", "Propose revoking a certificate by governance vote: computes its SHA-256 fingerprint and proposes revoke-certificate.")
        {
            certOption, dir, org, reasonOption, voteAll,
        };
        command.SetAction((parse, ct) => NodeCommands.RunGuardedAsync(context, async () =>
        {
            string reason = Governance.ProposalParser.RevocationReason(parse.GetValue(reasonOption) ?? string.Empty);
            (Hash256 fingerprint, string description) = ReadFingerprint(parse.GetValue(certOption)!);
            TextWriter o = context.Output;
            o.WriteLine($"certificate   {description}");
            o.WriteLine($"fingerprint   {fingerprint}");
            o.Flush();
            using Governance.GovernanceSession session = await Governance.GovernanceSession.OpenAsync(parse.GetValue(dir)!.FullName, ct).ConfigureAwait(false);
            string proposer = parse.GetValue(org) ?? await Governance.OrgCommands.FirstLocalMemberAsync(session, ct).ConfigureAwait(false);
            Sdk.Governance.ProposalOutcome outcome = await Governance.GovernanceSession.Run(() => session.As(proposer).ProposeRevokeCertificateAsync(fingerprint, reason, ct)).ConfigureAwait(false);
            o.WriteLine($"{proposer} proposes revoking {fingerprint}: proposal {outcome.ProposalId} is {Governance.GovFormat.Status(outcome.Status)} (block {outcome.Receipt.BlockNumber})");
            o.Flush();
            if (!parse.GetValue(voteAll) && !outcome.Executed)
            {
                o.WriteLine($"the other members vote with: trellis gov vote {outcome.ProposalId} --org ORG --dir {session.Layout.Directory}");
                return 0;
            }

            outcome = await session.VoteUntilPassedAsync(o, outcome, proposer, ct).ConfigureAwait(false);
            o.WriteLine($"{fingerprint} is revoked (proposal {outcome.ProposalId} executed in block {outcome.Receipt.BlockNumber}; effective from block {outcome.Receipt.BlockNumber + Ledger.Governance.GovernanceRules.ActivationDelay})");
            return 0;
        }));
        return command;
    }

    // The fingerprint of the one certificate in a PEM file, and a line naming it; a bad file is a one-line CliException.
    private static (Hash256 Fingerprint, string Description) ReadFingerprint(FileInfo file)
    {
        List<X509Certificate2> certificates;
        try
        {
            certificates = CertificatePem.ReadAll(ReadSmallFile(file.FullName, "certificate file"), file.Name);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or CryptographicException)
        {
            throw new CliException($"certificate file {file.FullName}: {e.Message.ReplaceLineEndings(" ")}", e);
        }

        try
        {
            if (certificates.Count != 1)
            {
                throw new CliException($"certificate file {file.FullName} holds {certificates.Count.ToString(CultureInfo.InvariantCulture)} certificates; give a file with exactly one");
            }

            X509Certificate2 certificate = certificates[0];
            return (CertificateFingerprint.Of(certificate), $"{certificate.Subject} ({Kind(certificate)}, issued by {certificate.Issuer})");
        }
        finally
        {
            Dispose(certificates);
        }
    }

    private static void Show(TextWriter output, X509Certificate2 certificate)
    {
        output.WriteLine($"kind          {Kind(certificate)}");
        output.WriteLine($"subject       {certificate.Subject}");
        output.WriteLine($"issuer        {certificate.Issuer}");
        output.WriteLine($"serial        {certificate.SerialNumber.ToLowerInvariant()}");
        output.WriteLine($"not before    {Time(certificate.NotBefore)}");
        output.WriteLine($"not after     {Time(certificate.NotAfter)}");
        output.WriteLine($"fingerprint   {CertificateFingerprint.Of(certificate)}");
        output.WriteLine($"key           {Algorithm(certificate)}");
        output.WriteLine($"signature     {SignatureName(certificate.SignatureAlgorithm.Value)}");
        output.WriteLine(NodeCertificateFields.TryReadSigningAddress(certificate, out Address address, out _)
            ? $"address       {address.ToLowerHex()}"
            : "address       (none)");
    }

    private static string Kind(X509Certificate2 certificate) => CertificateValidator.Classify(certificate) switch
    {
        CertificateKind.Authority => certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData) ? "CA (root)" : "CA (TLS CA)",
        CertificateKind.Admin => "admin",
        _ => "node",
    };

    private static string Algorithm(X509Certificate2 certificate)
    {
        if (!CertificateKeys.TryReadCurveOid(certificate, out string? curve, out string? error))
        {
            return error;
        }

        return curve switch
        {
            CertificateKeys.P256Oid => "EC P-256",
            CertificateKeys.Secp256k1Oid => "EC secp256k1",
            CertificateKeys.Sm2Oid => "EC SM2",
            _ => $"EC curve {curve}",
        };
    }

    private static string SignatureName(string? oid) => oid switch
    {
        CertificateSignatures.EcdsaWithSha256Oid => "ecdsa-with-SHA256",
        CertificateSignatures.Sm2WithSm3Oid => "SM3withSM2",
        _ => oid ?? "unknown",
    };

    private static PublicKey ReadAdminKey(ICryptoSuite suite, string value)
    {
        string text = File.Exists(value) ? ReadSmallFile(value, "--key file") : value;
        if (text.Contains("-----BEGIN PUBLIC KEY-----", StringComparison.Ordinal))
        {
            (CurveKind curve, byte[] bytes) = KeyEncoding.ImportPublicKeyPem(text);
            if (curve != suite.Curve)
            {
                throw new CliException($"--key is a {curve} key, but the CA is of the {suite.Name} suite ({suite.Curve} keys)");
            }

            return suite.ImportPublicKey(bytes);
        }

        PrivateKey key = KeyInput.ReadPrivateKey(suite, value);
        return suite.DerivePublicKey(key);
    }

    private static CertificateAuthority LoadCa(DirectoryInfo directory)
    {
        if (!File.Exists(Path.Combine(directory.FullName, CertificateAuthority.CertificateFileName)))
        {
            throw new CliException($"{directory.FullName} holds no CA ({CertificateAuthority.CertificateFileName}); create one with 'trellis ca init'");
        }

        return CertificateAuthority.ReadFrom(directory.FullName);
    }

    private static TimeSpan? Days(int? days)
    {
        if (days is null)
        {
            return null;
        }

        if (days is < 1 or > 36500)
        {
            throw new CliException($"--days {days.Value.ToString(CultureInfo.InvariantCulture)} is out of range; it must be 1 to 36500");
        }

        return TimeSpan.FromDays(days.Value);
    }

    private static string ReadSmallFile(string path, string what)
    {
        if (!File.Exists(path))
        {
            throw new CliException($"{what} {path} does not exist");
        }

        long length = new FileInfo(path).Length;
        if (length > MaxFileBytes)
        {
            throw new CliException($"{what} {path} is {length.ToString(CultureInfo.InvariantCulture)} bytes; at most {MaxFileBytes.ToString(CultureInfo.InvariantCulture)} are read");
        }

        return File.ReadAllText(path);
    }

    private static void RefuseExisting(params string[] paths)
    {
        foreach (string path in paths)
        {
            if (File.Exists(path))
            {
                throw new CliException($"{path} exists already; it is never overwritten");
            }
        }
    }

    private static void WriteNew(string path, string content, bool secret)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (secret && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var writer = new StreamWriter(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), options);
        writer.Write(content);
    }

    private static string Time(DateTime time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static void Dispose(List<X509Certificate2> certificates)
    {
        foreach (X509Certificate2 certificate in certificates)
        {
            certificate.Dispose();
        }
    }

    private static int Guard(CommandContext context, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is CliException or ArgumentException or FormatException or IOException or UnauthorizedAccessException or CryptographicException)
        {
            string message = e is ArgumentException { ParamName: { } parameter } argument
                ? argument.Message.Replace($" (Parameter '{parameter}')", "", StringComparison.Ordinal)
                : e.Message;
            context.Error.WriteLine($"error: {message.ReplaceLineEndings(" ")}");
            return 1;
        }
    }
}
