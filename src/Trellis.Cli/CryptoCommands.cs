using System.CommandLine;

namespace Trellis.Cli;

/// <summary><c>trellis crypto ...</c>: try either crypto suite by hand.</summary>
internal static class CryptoCommands
{
    public static Command Build(CommandContext context)
    {
        var crypto = new Command("crypto", "Generate keys, hash, sign and verify with the standard or national suite.");
        return crypto;
    }
}
