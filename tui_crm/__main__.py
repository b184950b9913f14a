from tui_crm.cli import main

main()
