namespace Hean.Host.Security;

/// <summary>Reads a secret from the terminal without echoing it; null when there is no terminal to ask.</summary>
public static class SecretPrompt
{
    public static string? Ask(string label)
    {
        if (Console.IsInputRedirected || Console.IsErrorRedirected) return null;
        Console.Error.Write(label + ": ");
        var text = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) break;
            if (key.Key == ConsoleKey.Backspace)
            {
                if (text.Length > 0) text.Length--;
                continue;
            }
            if (!char.IsControl(key.KeyChar)) text.Append(key.KeyChar);
        }
        Console.Error.WriteLine();
        return text.ToString();
    }
}
