namespace Granary.Quality.Drift;

/// <summary>
/// P(Dₙ ≤ d) exactly, by Durbin's matrix (1968) as Marsaglia, Tsang and Wang (2003) compute it: one entry of the
/// n-th power of a (2k − 1)-wide matrix, k = ⌈nd⌉, with the powers rescaled by 2¹²⁸ to stay in range.
/// </summary>
internal static class DurbinMatrix
{
    private const int ScaleExponent = 128;
    private static readonly double s_scaleUp = Math.ScaleB(1.0, ScaleExponent);
    private static readonly double s_scaleDown = Math.ScaleB(1.0, -ScaleExponent);

    public static double Cdf(int n, double d)
    {
        if (d >= 1.0)
        {
            return 1.0;
        }

        double nd = n * d;
        if (nd <= 0.5)
        {
            return 0.0;
        }

        int k = (int)Math.Ceiling(nd);
        double h = k - nd;
        int m = (2 * k) - 1;

        var v = new double[m];
        var w = new double[m];
        double factorial = 1.0;
        for (int j = 1; j <= m; j++)
        {
            w[j - 1] = factorial;
            factorial /= j;
            v[j - 1] = (1.0 - Math.Pow(h, j)) * factorial;
        }

        double correction = Math.Pow(Math.Max((2 * h) - 1.0, 0), m) - (2 * Math.Pow(h, m));
        v[m - 1] = (1.0 + correction) * factorial;

        var matrix = new double[m * m];
        for (int column = 1; column < m; column++)
        {
            for (int row = column - 1; row < m; row++)
            {
                matrix[(row * m) + column] = w[row - column + 1];
            }
        }

        for (int row = 0; row < m; row++)
        {
            matrix[row * m] = v[row];
        }

        for (int column = 0; column < m; column++)
        {
            matrix[((m - 1) * m) + column] = v[m - 1 - column];
        }

        var power = Identity(m);
        var scratch = new double[m * m];
        int exponent = 0, matrixExponent = 0;
        for (int remaining = n; remaining > 0; remaining /= 2)
        {
            if (remaining % 2 == 1)
            {
                Multiply(power, matrix, scratch, m);
                (power, scratch) = (scratch, power);
                exponent += matrixExponent;
            }

            Multiply(matrix, matrix, scratch, m);
            (matrix, scratch) = (scratch, matrix);
            matrixExponent *= 2;
            if (Math.Abs(matrix[((k - 1) * m) + k - 1]) > s_scaleUp)
            {
                for (int i = 0; i < matrix.Length; i++)
                {
                    matrix[i] *= s_scaleDown;
                }

                matrixExponent += ScaleExponent;
            }
        }

        // P = n!/nⁿ · (Hⁿ)ₖₖ, the factorial applied step by step so that neither part overflows.
        double p = power[((k - 1) * m) + k - 1];
        for (int i = 1; i <= n; i++)
        {
            p = i * p / n;
            if (Math.Abs(p) < s_scaleDown)
            {
                p *= s_scaleUp;
                exponent -= ScaleExponent;
            }
        }

        return Math.ScaleB(p, exponent);
    }

    private static double[] Identity(int m)
    {
        var identity = new double[m * m];
        for (int i = 0; i < m; i++)
        {
            identity[(i * m) + i] = 1.0;
        }

        return identity;
    }

    private static void Multiply(double[] left, double[] right, double[] result, int m)
    {
        Array.Clear(result);
        for (int i = 0; i < m; i++)
        {
            for (int l = 0; l < m; l++)
            {
                double a = left[(i * m) + l];
                if (a == 0.0)
                {
                    continue;
                }

                for (int j = 0; j < m; j++)
                {
                    result[(i * m) + j] += a * right[(l * m) + j];
                }
            }
        }
    }
}
