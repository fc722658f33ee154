from hukoucalc.cli import main

main()
