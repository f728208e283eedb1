from regiorapportage.cli import main

main()
