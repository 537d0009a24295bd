using Hean.Host.Configuration;
using Hean.Host.Security;

namespace Hean.Host.Commands;

/// <summary>What the commands that work on a node's data folder share (`hean token`, `hean keys`, the token file).</summary>
public static class LocalNode
{
    /// <summary>The data folder: the option, else as `hean run` finds it (HEAN_DATA_DIR in the environment or appsettings.json, else ./.hean).</summary>
    public static string DataDir(string? option = null) =>
        option is null ? HeanSettings.DataDirOf(HeanSettings.LoadConfiguration()) : Path.GetFullPath(option);

    /// <summary>Runs a command on local files; bad input and unreadable files are `error:` with exit 2.</summary>
    public static int Run(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is ArgumentException or FormatException or IOException or UnauthorizedAccessException
                                      or WrongPassphraseException or KeyNotFoundException)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return Program.BadInput;
        }
    }
}
