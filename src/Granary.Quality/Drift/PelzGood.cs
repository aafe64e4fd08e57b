namespace Granary.Quality.Drift;

/// <summary>
/// The Pelz-Good (1976) approximation of P(Dₙ ≤ x): Li-Chien and Korolyuk's expansion
/// K₀(z) + K₁(z)/√n + K₂(z)/n + K₃(z)/n^1.5 at z = x√n, each term rewritten with Jacobi's theta transform so that
/// it converges fast for small z. Used for large n, where the Durbin matrix would be too wide.
/// </summary>
internal static class PelzGood
{
    private const double MinLog = -708;
    private static readonly double s_sqrt2Pi = Math.Sqrt(2 * Math.PI);
    private static readonly double s_sqrt3 = Math.Sqrt(3);
    private const double PiSquared = Math.PI * Math.PI;
    private const double PiFour = PiSquared * PiSquared;
    private const double PiSix = PiFour * PiSquared;

    public static double Cdf(int n, double x)
    {
        if (x <= 0.0)
        {
            return 0.0;
        }

        if (x >= 1.0)
        {
            return 1.0;
        }

        double z = Math.Sqrt(n) * x;
        double z2 = z * z, z3 = z2 * z, z4 = z2 * z2, z6 = z4 * z2, z8 = z4 * z4;
        double qLog = -PiSquared / 8 / z2;
        if (qLog < MinLog)
        {
            return 0.0;
        }

        double q = Math.Exp(qLog);
        double k1a = -z2, k1b = PiSquared / 4;
        double k2a = (6 * z6) + (2 * z4), k2b = ((2 * z4) - (5 * z2)) * PiSquared / 4, k2c = PiFour * (1 - (2 * z2)) / 16;
        double k3d = PiSix * (5 - (30 * z2)) / 64;
        double k3c = PiFour * ((-60 * z2) + (212 * z4)) / 16;
        double k3b = PiSquared * ((135 * z4) - (96 * z6)) / 4;
        double k3a = (-30 * z6) - (90 * z8);

        double k0 = 0, k1 = 0, k2 = 0, k3 = 0;
        int maxK = (int)Math.Ceiling(16 * z / Math.PI);
        for (int k = maxK; k > 0; k--)
        {
            double odd = (2 * k) - 1;
            double odd2 = odd * odd, odd4 = odd2 * odd2, odd6 = odd4 * odd2;
            double qPower = Math.Pow(q, 8 * k);
            k0 = (k0 * qPower) + 1.0;
            k1 = (k1 * qPower) + k1a + (k1b * odd2);
            k2 = (k2 * qPower) + k2a + (k2b * odd2) + (k2c * odd4);
            k3 = (k3 * qPower) + k3a + (k3b * odd2) + (k3c * odd4) + (k3d * odd6);
        }

        double scale = q * s_sqrt2Pi;
        k0 *= scale / z;
        k1 *= scale / (6 * z4);
        k2 *= scale / (72 * Math.Pow(z, 7));
        k3 *= scale / (6480 * Math.Pow(z, 10));

        double qExtra = Math.Exp(-PiSquared / 2 / z2);
        double k2Extra = 0, k3Extra = 0;
        for (int k = maxK; k > 0; k--)
        {
            double kSquared = (double)k * k;
            double qPower = Math.Pow(qExtra, kSquared);
            double kPi = Math.PI * k;
            k2Extra += kSquared * qPower;
            k3Extra += ((s_sqrt3 * z) + kPi) * ((s_sqrt3 * z) - kPi) * kSquared * qPower;
        }

        k2 += k2Extra * PiSquared * s_sqrt2Pi / (-36 * z3);
        k3 += k3Extra * PiSquared * s_sqrt2Pi / (216 * z6);

        double sqrtN = Math.Sqrt(n);
        return k0 + (k1 / sqrtN) + (k2 / n) + (k3 / (n * sqrtN));
    }
}
