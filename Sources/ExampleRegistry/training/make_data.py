"""Regenerates the example registry's data sets, deterministically (pure Python, no NumPy).

    python3 training/make_data.py data                     # the training data (committed)
    python3 training/make_data.py --recent FILE [ROWS]     # a month of production traffic that has drifted

The training CSV files are committed; their sha256 are recorded in the manifests. The recent traffic is
what `modelgate drift churn@1.3.0 --data FILE` is shown with: newer customers (shorter tenure), higher
charges, and a region the model never saw.
"""
import csv
import math
import random
import sys
from pathlib import Path

REGIONS = ["eu", "us", "apac"]


def churn_rows(rng, n):
    for _ in range(n):
        region = rng.choice(REGIONS)
        tenure = rng.randint(1, 72)
        monthly = round(rng.uniform(15.0, 120.0), 2)
        tickets = min(12, int(rng.expovariate(0.6)))
        contract = rng.choice([0, 1, 2])  # month-to-month, one year, two years
        logit = (1.2 - 0.045 * tenure + 0.018 * monthly + 0.35 * tickets - 0.9 * contract
                 + {"eu": -0.2, "us": 0.1, "apac": 0.3}[region] + rng.gauss(0.0, 0.8))
        churned = 1 if rng.random() < 1.0 / (1.0 + math.exp(-logit)) else 0
        yield [region, tenure, monthly, tickets, contract, churned]


def recent_churn_rows(rng, n):
    for region, tenure, monthly, tickets, contract, churned in churn_rows(rng, n):
        if rng.random() < 0.15:
            region = "latam"
        tenure = max(1, int(tenure * 0.5))
        monthly = round(monthly * 1.3, 2)
        yield [region, tenure, monthly, tickets, contract, churned]


def demand_rows(rng, n):
    for _ in range(n):
        week = rng.randint(1, 52)
        price = round(rng.uniform(2.0, 9.0), 2)
        promo = 1 if rng.random() < 0.25 else 0
        temperature = round(rng.gauss(14.0, 8.0), 1)
        season = math.sin(2 * math.pi * week / 52.0)
        units = 180.0 - 14.0 * price + 35.0 * promo + 2.1 * temperature + 25.0 * season + rng.gauss(0.0, 9.0)
        yield [week, price, promo, temperature, round(max(units, 0.0), 1)]


def write(path, header, rows):
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main(out):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(20261120)
    write(out / "churn.csv", ["region", "tenure", "monthly_charges", "support_tickets", "contract", "churned"],
          churn_rows(rng, 2400))
    write(out / "demand.csv", ["week", "price", "promo", "temperature", "units"], demand_rows(rng, 2000))


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--recent":
        rows = int(sys.argv[3]) if len(sys.argv) > 3 else 1200
        write(Path(sys.argv[2]), ["region", "tenure", "monthly_charges", "support_tickets", "contract", "churned"],
              recent_churn_rows(random.Random(20261128), rows))
    else:
        main(sys.argv[1] if len(sys.argv) > 1 else "data")
